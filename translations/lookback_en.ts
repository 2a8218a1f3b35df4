<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>Gmail</name>
    <message>
        <source>Cannot reach Gmail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail did not say whose mailbox this is</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A message without a usable id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail sent message %1 without its content</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail sent message %1 without its date</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Graph</name>
    <message>
        <source>A message without a usable id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft Graph sent message %1 without its date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>attachment</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::ArchiveWriter</name>
    <message>
        <source>Not written: an earlier page could not be stored</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The archive is not open</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Gmail</name>
    <message>
        <source>Google refused the sign-in (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>HTTP 401</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail asked Lookback to slow down</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail's daily limit for this account is used up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail no longer lets Lookback read this mailbox (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail is not answering (HTTP %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail refused a request (HTTP %1: %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no reason given</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail's batch answer has no boundary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail's batch answer has %1 parts for %2 requests</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lost the connection to Gmail: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::GmailSource</name>
    <message>
        <source>Cannot reach Gmail: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This connection has no sign-in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>That folder was not planned</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail answered with another message than the one asked for</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail refused the access token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail asked Lookback to slow down</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Graph</name>
    <message>
        <source>Microsoft did not say whose mailbox this is</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft refused the sign-in (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>HTTP 401</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft no longer lets Lookback read this mailbox (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>HTTP 403</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft asked Lookback to slow down</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot reach Microsoft Graph: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft Graph is not answering (HTTP %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft Graph does not know that mailbox or folder (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>HTTP 404</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft Graph refused a request (HTTP %1: %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no reason given</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::GraphApi</name>
    <message>
        <source>Microsoft Graph pointed Lookback at another server (%1); refused</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::GraphSource</name>
    <message>
        <source>This connection has no sign-in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft Graph sent a message list without messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>That folder was not planned</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::ImapConnection</name>
    <message>
        <source>The certificate of %1 is not trusted (%2). SHA-256 fingerprint: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TLS with %1 failed: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot reach %1 port %2: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 stopped answering (no reply for %2 seconds)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 sent a reply Lookback cannot read: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 answered a command that was never sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 refused the connection: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 ended the session: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 does not offer STARTTLS: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 did not list its capabilities: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 offers no way to log in that Lookback supports</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 cannot log in right now: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 rejected the login for %2: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not connected to %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connection closed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The connection to %1 dropped after %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The connection to %1 dropped after %2 (%3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is answering too slowly (%2 in %3 seconds for one command)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 skipped the login (PREAUTH) before STARTTLS could encrypt the connection; Lookback does not continue unencrypted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 sent more than %2 responses to one command</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 sent unencrypted data after agreeing to STARTTLS</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::ImapSource</name>
    <message>
        <source>Cannot open the folder %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The server renumbered %1; starting that folder again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This connection has no sign-in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the server refused it: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the server sent no structure for it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the server sent no headers for it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the server did not send all of it</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::OAuthBrowserFlow</name>
    <message>
        <source>You did not allow Lookback to read your mail at %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 refused the sign-in: %2</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Gave up waiting for the browser after %n minute(s)</source>
        <translation><numerusform>Gave up waiting for the browser after %n minute</numerusform><numerusform>Gave up waiting for the browser after %n minutes</numerusform></translation>
    </message>
    <message>
        <source>Cannot listen on 127.0.0.1 for the browser's answer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback is signed in. You can close this tab and go back to Lookback.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The browser's answer does not belong to this sign-in; try again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign-in cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot reach %1's sign-in server: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 gave no refresh token, so Lookback could not stay signed in</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::OAuthSignIn</name>
    <message>
        <source>The sign-in in the keychain is unreadable: reconnect</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::OAuthToken</name>
    <message>
        <source>The sign-in server is not answering (HTTP %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft ended Lookback's sign-in. %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Google ended Lookback's sign-in. %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The sign-in server refused Lookback's client id or secret (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The sign-in server refused (HTTP %1: %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no reason given</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot reach the sign-in server: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The sign-in server's answer has no access token</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::ProbeWorker</name>
    <message>
        <source>No server name was given</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No port was given</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 lists no Inbox for %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No Sent folder found on %1: no folder is marked as Sent and none is called %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 has neither an Inbox nor a Sent folder to count</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot open the folder %1: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::SecretStore</name>
    <message>
        <source>The secret is too large for the keychain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret in the keychain is incomplete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret in the keychain is damaged</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::SyncService</name>
    <message>
        <source>A connection named "%1" already exists</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This kind of connection does not use a password</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Disconnected: the sign-in was removed from the keychain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No such connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This connection does not sign in with a browser</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign-in cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>That connection is gone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>You signed in as %1, but this connection is %2: sign in with %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shared mailboxes can be added only under a Microsoft 365 connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a mailbox address (like support@example.com)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>That is %1's own mailbox</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is already added as "%2"</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::SyncTask</name>
    <message>
        <source>No archive writer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No such connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Replaced by a backfill of another range</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>all mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the last day</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the last %1 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sync complete — 1 message from %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sync complete — %1 messages from %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Up to date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Up to date — 1 new message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Up to date — %1 new messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>; 1 message could not be read</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>; %1 messages could not be read</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paused after %1 messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelled — %1 messages kept</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1, %2 times in a row</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the personal connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting on %1 — reconnect it</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::AddConnectionDialog</name>
    <message>
        <source>Add a connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Where is your mail?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;IMAP mail server</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Gmail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Microsoft 365</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>For example: Work mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connection name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>imap.example.com</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>IMAP server</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TLS (recommended)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>STARTTLS</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>None (unencrypted)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Encryption</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Encryption:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Without encryption, your password and your mail cross the network as plain text: anyone along the way can read them. Use this only on a network you control.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>I &amp;understand: send my password unencrypted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Usually your email address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Password or app password</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your password, or an app password if your provider uses two-step verification. It is kept in the system keychain.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail accepts IMAP sign-in only with an app password: Google Account › Security › 2-Step Verification › App passwords.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SHA-256 fingerprint of the server's certificate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>T&amp;rust this certificate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>C&amp;onnect</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gmail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Testing…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Testing the connection to %1…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting, checking the certificate, signing in and looking for Inbox and Sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Signed in as %1. Lookback will archive the Inbox “%2” and the Sent folder “%3”.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connection works</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Using the certificate you trusted:
%1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot reach the server</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback could not talk to %1 on port %2. Check the server name and the port, and that this computer is online.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The server's certificate is not trusted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback cannot confirm who is answering at %1. A server with a certificate of its own looks like this, and so would someone intercepting the connection. Compare this SHA-256 fingerprint with the one the server's administrator gives you, and trust it only if they match:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A secure connection could not be set up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Check the encryption and the port: TLS usually uses port 993, STARTTLS port 143.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Login rejected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 did not accept this username and password. Many providers want an app password here when two-step verification is on.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No Inbox found</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The login worked, but the server shows no Inbox for this account.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No Sent folder found</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The login worked and the Inbox is “%1”, but no folder is marked as Sent mail. Lookback archives Inbox and Sent together.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This server cannot be used as set up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The test failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Details: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback opens Google's sign-in page in your web browser. You sign in there (Lookback never sees your password) and allow it to read your mail. It asks for nothing more: it cannot send, change or delete anything.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>N&amp;ame:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Google needs to know which program is asking. Create a “Desktop app” OAuth client in the Google Cloud console (with the Gmail API and the gmail.readonly scope) and enter its ID and secret here, or set LOOKBACK_GOOGLE_CLIENT_ID and LOOKBACK_GOOGLE_CLIENT_SECRET. The README explains each step.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>…apps.googleusercontent.com</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>OAuth client ID</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Client &amp;ID:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>OAuth client secret</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Client &amp;secret:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Set up Gmail over IMAP with an app password instead</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>C&amp;ontinue in your browser…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback opens Microsoft's sign-in page in your web browser. You sign in there (Lookback never sees your password) and allow it to read your mail and the mailboxes shared with you. It cannot send, change or delete anything. Shared mailboxes are added afterwards, from this connection's card.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft 365</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft needs to know which program is asking. Register an application in the Microsoft Entra admin center (a public client with the “Mobile and desktop applications” platform and the redirect URI http://127.0.0.1) and enter its application (client) ID here, or set LOOKBACK_MICROSOFT_CLIENT_ID. The README explains each step.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>00000000-0000-0000-0000-000000000000</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Application (client) ID</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Application I&amp;D:</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::ArchiveBrowser</name>
    <message>
        <source> — %1</source>
        <extracomment>Between a message's subject and the start of its text in the message list</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Folders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search the archive</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;p&gt;Words are looked up anywhere in a message, also as the start of a word.&lt;/p&gt;&lt;p&gt;&lt;b&gt;from:&lt;/b&gt;bob &amp;nbsp; who sent it&lt;br&gt;&lt;b&gt;to:&lt;/b&gt;alice &amp;nbsp; who received it (To or Cc)&lt;br&gt;&lt;b&gt;subject:&lt;/b&gt;invoice &amp;nbsp; words in the subject&lt;br&gt;&lt;b&gt;after:&lt;/b&gt;2024-01-31 &amp;nbsp; received on or after that day&lt;br&gt;&lt;b&gt;before:&lt;/b&gt;2024-03-01 &amp;nbsp; received before that day&lt;br&gt;&lt;b&gt;in:&lt;/b&gt;inbox or &lt;b&gt;in:&lt;/b&gt;sent &amp;nbsp; one folder&lt;/p&gt;&lt;p&gt;Quotes keep a phrase together: "quarterly report"&lt;/p&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Back to the list shown before (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search %1 — from: to: subject: before: after:</source>
        <extracomment>Search box placeholder; %1 is a folder or connection ("All mail", "Inbox · Work")</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The archive cannot be opened: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Nothing is archived yet. Connect a mailbox and sync it to fill the archive.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No messages here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No messages match</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%Ln result(s)</source>
        <translation><numerusform>%Ln result</numerusform><numerusform>%Ln results</numerusform></translation>
    </message>
    <message>
        <source>More than %L1 results, counting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>With %1 — %Ln message(s)</source>
        <translation><numerusform>With %1 — %Ln message</numerusform><numerusform>With %1 — %Ln messages</numerusform></translation>
    </message>
    <message>
        <source>With %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Conversation: %1 — %Ln message(s)</source>
        <translation><numerusform>Conversation: %1 — %Ln message</numerusform><numerusform>Conversation: %1 — %Ln messages</numerusform></translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sync log…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show conversation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Conversations with %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::BrowserSignInDialog</name>
    <message>
        <source>Microsoft</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Google</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reconnect %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign in with %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Continue in your browser…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting for the browser</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The address it opened:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign-in address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Preparing the sign-in…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Copy link</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Open again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No browser could be opened from here. Copy the link and open it in the browser you use.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback never sees your password. It asks only to read your mail, and keeps the permission you give in the system keychain.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The sign-in did not finish</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The archive is untouched. Try again, or close this window and reconnect later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Nothing was saved. Try again, or close this window and add the connection later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback opened %1's sign-in page in your web browser. Sign in there as %2 and allow Lookback to read your mail again; this window goes on by itself.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback opened %1's sign-in page in your web browser. Sign in there and allow Lookback to read your mail; this window goes on by itself.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::ConnectionCard</name>
    <message>
        <source>Less than a minute left</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>About %n minute(s) left</source>
        <translation><numerusform>About %n minute left</numerusform><numerusform>About %n minutes left</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>About %n hour(s) left</source>
        <translation><numerusform>About %n hour left</numerusform><numerusform>About %n hours left</numerusform></translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel this backfill (what was already archived stays)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel backfill</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>More</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>More actions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Backfill more history…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reconnect…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sync log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Disconnect</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>all mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the last 12 months</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>the last %n day(s)</source>
        <translation><numerusform>the last %n day</numerusform><numerusform>the last %n days</numerusform></translation>
    </message>
    <message>
        <source>Connection %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Sync complete — %Ln message(s) from %1</source>
        <translation><numerusform>Sync complete — %Ln message from %1</numerusform><numerusform>Sync complete — %Ln messages from %1</numerusform></translation>
    </message>
    <message>
        <source>No history synced yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Syncing %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paused — %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Synced %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Backfill of %1 cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sync of %1 failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Counting messages on the server…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 of ~%2 messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Resume backfill</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pause backfill</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>No new messages for %n minute(s). The server may be slow or the connection stuck.</source>
        <translation><numerusform>No new messages for %n minute. The server may be slow or the connection stuck.</numerusform><numerusform>No new messages for %n minutes. The server may be slow or the connection stuck.</numerusform></translation>
    </message>
    <message>
        <source>Lookback could not sign in: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Access was removed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel backfill?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stop syncing the history of %1 for good? The %2 messages already archived stay, and new mail keeps arriving.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Keep syncing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>new mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Checking for new mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Up to date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 of %2 new messages</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n message(s) could not be read</source>
        <translation><numerusform>%n message could not be read</numerusform><numerusform>%n messages could not be read</numerusform></translation>
    </message>
    <message>
        <source>Gmail · %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft 365 · %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add shared mailbox…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shared mailbox · %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting on %1 — reconnect it. This mailbox goes on by itself once it is.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the personal connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reconnect %1…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting — %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::ConnectionsPage</name>
    <message>
        <source>Connections</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add connection…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No mailbox connected yet.
Add a connection (IMAP, Gmail or Microsoft 365) to pull its history onto this computer.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::FolderTreeModel</name>
    <message>
        <source>Inbox</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 · %2</source>
        <extracomment>A folder of a connection, e.g. "Inbox · Work"</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All mail</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%1, %Ln message(s)</source>
        <translation><numerusform>%1, %Ln message</numerusform><numerusform>%1, %Ln messages</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln message(s)</source>
        <translation><numerusform>%Ln message</numerusform><numerusform>%Ln messages</numerusform></translation>
    </message>
    <message>
        <source>%1 (on the server: %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Every archived message of every connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::HealthBadge</name>
    <message>
        <source>Healthy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Syncing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Throttled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Throttled — retrying at %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Needs reconnect</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Permission lost</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting on %1 — reconnect it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the personal connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Offline — retrying at %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connection status: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::MainWindow</name>
    <message>
        <source>Lookback</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Archive</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Add connection…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Connections</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Archive</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;About Lookback</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>About Lookback</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;b&gt;Lookback&lt;/b&gt; %1&lt;br&gt;Your mailbox's history, on your own computer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Disconnect %1?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Syncing stops and the sign-in is removed from the keychain. Everything already archived stays on this computer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Disconnect</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show Lookback</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Could not add the connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reconnect %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Password or app password for %1 on %2:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No keychain available</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback keeps passwords only in the system keychain, and none is usable:
%1

Keep the password in memory for this session only? You will be asked again next time. It is never written to disk.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Keep for this session</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Forget it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sync complete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 needs attention</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::MessageListModel</name>
    <message>
        <source>To: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(unknown)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 &lt;%2&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(no subject)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1
%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Has attachments</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>From / To</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Attachments</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::MessageView</name>
    <message>
        <source>%1, %2</source>
        <extracomment>A message's date in its header: %1 is the long date, %2 the time.</extracomment>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select a message to read it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>From:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>To:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cc:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Date:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Click an address to see every message exchanged with it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remote images were not loaded, so the sender cannot tell that you opened this message.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open at the provider</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 &amp;lt;%2&amp;gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(no subject)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Received %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Attachments (%Ln)</source>
        <translation><numerusform>Attachments (%Ln)</numerusform><numerusform>Attachments (%Ln)</numerusform></translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback keeps only these details; the files themselves stay at your provider.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open this message in your web browser, where its attachments can be downloaded.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback keeps only these details; the files themselves stay on your mail server. Open the message in your usual mail program to get them.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not available for IMAP: a generic IMAP server has no web address for a single message.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::RangePickerDialog</name>
    <message>
        <source>How much mail should we sync?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback copies the Inbox and Sent mail of “%1” to this computer, newest first. You can fetch older mail later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last &amp;30 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last &amp;90 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last 12 &amp;months</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Everything</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recommended</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Custom:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Custom number of days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>S&amp;kip for now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Skip: nothing is copied now; only new mail from now on. You can fetch history later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Start sync</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>under a minute</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>about %n minute(s)</source>
        <translation><numerusform>about %n minute</numerusform><numerusform>about %n minutes</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>about %n hour(s)</source>
        <translation><numerusform>about %n hour</numerusform><numerusform>about %n hours</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>about %n day(s)</source>
        <translation><numerusform>about %n day</numerusform><numerusform>about %n days</numerusform></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>probably no messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no messages</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>about %Ln message(s)</source>
        <translation><numerusform>about %Ln message</numerusform><numerusform>about %Ln messages</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>≈ %Ln message(s)</source>
        <translation><numerusform>≈ %Ln message</numerusform><numerusform>≈ %Ln messages</numerusform></translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Estimated from the counts for 30, 90 and 365 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Counting the messages in Inbox and Sent on the server…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The messages could not be counted, so the sizes are unknown. You can still choose.
%1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Counted on the server, Inbox and Sent together. Times are estimated from a download measured just now.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Counted on the server, Inbox and Sent together. The download speed could not be measured, so no times are shown.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::SearchWorker</name>
    <message>
        <source>The archive cannot be searched: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::SharedMailboxDialog</name>
    <message>
        <source>Add shared mailbox</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A mailbox someone shares with %1, such as a team's support address. Lookback reads it with the sign-in of “%2”, so there is nothing more to sign in to; its owner must have shared Inbox and Sent Items with you.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>support@example.com</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shared mailbox address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add&amp;ress:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connection name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Add</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Lookback::Ui::SyncLogDialog</name>
    <message>
        <source>Sync log — %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The sync log cannot be read: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No syncs yet.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%Ln run(s), newest first.</source>
        <translation><numerusform>%Ln run, newest first.</numerusform><numerusform>%Ln runs, newest first.</numerusform></translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::SyncRunModel</name>
    <message>
        <source>Running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Complete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Backfill</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Live sync</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not ended</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ended</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fetched</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>OAuthConfig</name>
    <message>
        <source>Not a valid address: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 must use https (plain http is allowed only to this computer)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No Google client id: pass --client-id or set LOOKBACK_GOOGLE_CLIENT_ID (see the README on registering a desktop client)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No Microsoft client id: pass --client-id or set LOOKBACK_MICROSOFT_CLIENT_ID (see the README on registering an app)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The sign-in has no client id: reconnect</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>OAuthToken</name>
    <message>
        <source>the sign-in expired after a long time unused</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the sign-in was revoked; the password may have changed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Microsoft asks for multi-factor authentication</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback needs your consent again</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>The keychain is locked or refused access: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No usable keychain (Secret Service): %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No password is stored for this connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This connection has no sign-in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lookback cannot sync %1 connections yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No counts for this kind of connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This kind of connection does not sign in with a browser</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>RangeCounter</name>
    <message>
        <source>This connection has no sign-in</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Your mailbox's history, on your own computer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Keep the archive in DIR.</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>