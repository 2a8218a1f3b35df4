<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Gmail</name>
    <message>
        <source>Cannot reach Gmail</source>
        <translation>Gmail ist nicht erreichbar</translation>
    </message>
    <message>
        <source>Gmail did not say whose mailbox this is</source>
        <translation>Gmail hat nicht gesagt, wessen Postfach das ist</translation>
    </message>
    <message>
        <source>A message without a usable id</source>
        <translation>Eine Nachricht ohne brauchbare Kennung</translation>
    </message>
    <message>
        <source>Gmail sent message %1 without its content</source>
        <translation>Gmail hat Nachricht %1 ohne Inhalt gesendet</translation>
    </message>
    <message>
        <source>Gmail sent message %1 without its date</source>
        <translation>Gmail hat Nachricht %1 ohne Datum gesendet</translation>
    </message>
</context>
<context>
    <name>Graph</name>
    <message>
        <source>A message without a usable id</source>
        <translation>Eine Nachricht ohne brauchbare Kennung</translation>
    </message>
    <message>
        <source>Microsoft Graph sent message %1 without its date</source>
        <translation>Microsoft Graph hat Nachricht %1 ohne Datum gesendet</translation>
    </message>
    <message>
        <source>attachment</source>
        <translation>Anhang</translation>
    </message>
</context>
<context>
    <name>Lookback::ArchiveWriter</name>
    <message>
        <source>Not written: an earlier page could not be stored</source>
        <translation>Nicht geschrieben: eine frühere Seite konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>The archive is not open</source>
        <translation>Das Archiv ist nicht geöffnet</translation>
    </message>
</context>
<context>
    <name>Lookback::Gmail</name>
    <message>
        <source>Google refused the sign-in (%1)</source>
        <translation>Google hat die Anmeldung abgelehnt (%1)</translation>
    </message>
    <message>
        <source>HTTP 401</source>
        <translation>HTTP 401</translation>
    </message>
    <message>
        <source>Gmail asked Lookback to slow down</source>
        <translation>Gmail hat Lookback gebeten, langsamer zu machen</translation>
    </message>
    <message>
        <source>Gmail's daily limit for this account is used up</source>
        <translation>Das Tageslimit von Gmail für dieses Konto ist aufgebraucht</translation>
    </message>
    <message>
        <source>Gmail no longer lets Lookback read this mailbox (%1)</source>
        <translation>Gmail lässt Lookback dieses Postfach nicht mehr lesen (%1)</translation>
    </message>
    <message>
        <source>Gmail is not answering (HTTP %1)</source>
        <translation>Gmail antwortet nicht (HTTP %1)</translation>
    </message>
    <message>
        <source>Gmail refused a request (HTTP %1: %2)</source>
        <translation>Gmail hat eine Anfrage abgelehnt (HTTP %1: %2)</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>ohne Angabe von Gründen</translation>
    </message>
    <message>
        <source>Gmail's batch answer has no boundary</source>
        <translation>Die Sammelantwort von Gmail hat keine Trennmarke</translation>
    </message>
    <message>
        <source>Gmail's batch answer has %1 parts for %2 requests</source>
        <translation>Die Sammelantwort von Gmail hat %1 Teile für %2 Anfragen</translation>
    </message>
    <message>
        <source>Lost the connection to Gmail: %1</source>
        <translation>Die Verbindung zu Gmail ist abgebrochen: %1</translation>
    </message>
</context>
<context>
    <name>Lookback::GmailSource</name>
    <message>
        <source>Cannot reach Gmail: %1</source>
        <translation>Gmail ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>This connection has no sign-in</source>
        <translation>Diese Verbindung hat keine Anmeldung</translation>
    </message>
    <message>
        <source>That folder was not planned</source>
        <translation>Dieser Ordner war nicht geplant</translation>
    </message>
    <message>
        <source>Gmail answered with another message than the one asked for</source>
        <translation>Gmail hat mit einer anderen Nachricht geantwortet als der angefragten</translation>
    </message>
    <message>
        <source>Gmail refused the access token</source>
        <translation>Gmail hat das Zugriffstoken abgelehnt</translation>
    </message>
    <message>
        <source>Gmail asked Lookback to slow down</source>
        <translation>Gmail hat Lookback gebeten, langsamer zu machen</translation>
    </message>
</context>
<context>
    <name>Lookback::Graph</name>
    <message>
        <source>Microsoft did not say whose mailbox this is</source>
        <translation>Microsoft hat nicht gesagt, wessen Postfach das ist</translation>
    </message>
    <message>
        <source>Microsoft refused the sign-in (%1)</source>
        <translation>Microsoft hat die Anmeldung abgelehnt (%1)</translation>
    </message>
    <message>
        <source>HTTP 401</source>
        <translation>HTTP 401</translation>
    </message>
    <message>
        <source>Microsoft no longer lets Lookback read this mailbox (%1)</source>
        <translation>Microsoft lässt Lookback dieses Postfach nicht mehr lesen (%1)</translation>
    </message>
    <message>
        <source>HTTP 403</source>
        <translation>HTTP 403</translation>
    </message>
    <message>
        <source>Microsoft asked Lookback to slow down</source>
        <translation>Microsoft hat Lookback gebeten, langsamer zu machen</translation>
    </message>
    <message>
        <source>Cannot reach Microsoft Graph: %1</source>
        <translation>Microsoft Graph ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>Microsoft Graph is not answering (HTTP %1)</source>
        <translation>Microsoft Graph antwortet nicht (HTTP %1)</translation>
    </message>
    <message>
        <source>Microsoft Graph does not know that mailbox or folder (%1)</source>
        <translation>Microsoft Graph kennt dieses Postfach oder diesen Ordner nicht (%1)</translation>
    </message>
    <message>
        <source>HTTP 404</source>
        <translation>HTTP 404</translation>
    </message>
    <message>
        <source>Microsoft Graph refused a request (HTTP %1: %2)</source>
        <translation>Microsoft Graph hat eine Anfrage abgelehnt (HTTP %1: %2)</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>ohne Angabe von Gründen</translation>
    </message>
</context>
<context>
    <name>Lookback::GraphApi</name>
    <message>
        <source>Microsoft Graph pointed Lookback at another server (%1); refused</source>
        <translation>Microsoft Graph hat Lookback an einen anderen Server verwiesen (%1); abgelehnt</translation>
    </message>
</context>
<context>
    <name>Lookback::GraphSource</name>
    <message>
        <source>This connection has no sign-in</source>
        <translation>Diese Verbindung hat keine Anmeldung</translation>
    </message>
    <message>
        <source>Microsoft Graph sent a message list without messages</source>
        <translation>Microsoft Graph hat eine Nachrichtenliste ohne Nachrichten gesendet</translation>
    </message>
    <message>
        <source>That folder was not planned</source>
        <translation>Dieser Ordner war nicht geplant</translation>
    </message>
</context>
<context>
    <name>Lookback::ImapConnection</name>
    <message>
        <source>The certificate of %1 is not trusted (%2). SHA-256 fingerprint: %3</source>
        <translation>Das Zertifikat von %1 ist nicht vertrauenswürdig (%2). SHA-256-Fingerabdruck: %3</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>TLS with %1 failed: %2</source>
        <translation>TLS mit %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Cannot reach %1 port %2: %3</source>
        <translation>%1 ist auf Port %2 nicht erreichbar: %3</translation>
    </message>
    <message>
        <source>%1 stopped answering (no reply for %2 seconds)</source>
        <translation>%1 antwortet nicht mehr (seit %2 Sekunden keine Antwort)</translation>
    </message>
    <message>
        <source>%1 sent a reply Lookback cannot read: %2</source>
        <translation>%1 hat eine Antwort gesendet, die Lookback nicht lesen kann: %2</translation>
    </message>
    <message>
        <source>%1 answered a command that was never sent</source>
        <translation>%1 hat auf einen Befehl geantwortet, der nie gesendet wurde</translation>
    </message>
    <message>
        <source>%1 refused the connection: %2</source>
        <translation>%1 hat die Verbindung abgelehnt: %2</translation>
    </message>
    <message>
        <source>%1 ended the session: %2</source>
        <translation>%1 hat die Sitzung beendet: %2</translation>
    </message>
    <message>
        <source>%1 does not offer STARTTLS: %2</source>
        <translation>%1 bietet kein STARTTLS an: %2</translation>
    </message>
    <message>
        <source>%1 did not list its capabilities: %2</source>
        <translation>%1 hat seine Fähigkeiten nicht aufgelistet: %2</translation>
    </message>
    <message>
        <source>%1 offers no way to log in that Lookback supports</source>
        <translation>%1 bietet kein Anmeldeverfahren an, das Lookback unterstützt</translation>
    </message>
    <message>
        <source>%1 cannot log in right now: %2</source>
        <translation>%1 nimmt derzeit keine Anmeldungen an: %2</translation>
    </message>
    <message>
        <source>%1 rejected the login for %2: %3</source>
        <translation>%1 hat die Anmeldung für %2 abgelehnt: %3</translation>
    </message>
    <message>
        <source>Not connected to %1</source>
        <translation>Nicht mit %1 verbunden</translation>
    </message>
    <message>
        <source>Connection closed</source>
        <translation>Verbindung geschlossen</translation>
    </message>
    <message>
        <source>The connection to %1 dropped after %2</source>
        <translation>Die Verbindung zu %1 brach nach %2 ab</translation>
    </message>
    <message>
        <source>The connection to %1 dropped after %2 (%3)</source>
        <translation>Die Verbindung zu %1 brach nach %2 ab (%3)</translation>
    </message>
    <message>
        <source>%1 is answering too slowly (%2 in %3 seconds for one command)</source>
        <translation>%1 antwortet zu langsam (%2 in %3 Sekunden für einen Befehl)</translation>
    </message>
    <message>
        <source>%1 skipped the login (PREAUTH) before STARTTLS could encrypt the connection; Lookback does not continue unencrypted</source>
        <translation>%1 hat die Anmeldung (PREAUTH) übersprungen, bevor STARTTLS die Verbindung verschlüsseln konnte; Lookback macht unverschlüsselt nicht weiter</translation>
    </message>
    <message>
        <source>%1 sent more than %2 responses to one command</source>
        <translation>%1 hat mehr als %2 Antworten auf einen Befehl gesendet</translation>
    </message>
    <message>
        <source>%1 sent unencrypted data after agreeing to STARTTLS</source>
        <translation>%1 hat nach der Zusage von STARTTLS unverschlüsselte Daten gesendet</translation>
    </message>
</context>
<context>
    <name>Lookback::ImapSource</name>
    <message>
        <source>Cannot open the folder %1: %2</source>
        <translation>Der Ordner %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>The server renumbered %1; starting that folder again</source>
        <translation>Der Server hat %1 neu nummeriert; dieser Ordner wird von vorn abgerufen</translation>
    </message>
    <message>
        <source>This connection has no sign-in</source>
        <translation>Diese Verbindung hat keine Anmeldung</translation>
    </message>
    <message>
        <source>the server refused it: %1</source>
        <translation>der Server hat sie verweigert: %1</translation>
    </message>
    <message>
        <source>the server sent no structure for it</source>
        <translation>der Server hat keine Struktur dafür gesendet</translation>
    </message>
    <message>
        <source>the server sent no headers for it</source>
        <translation>der Server hat keine Kopfzeilen dafür gesendet</translation>
    </message>
    <message>
        <source>the server did not send all of it</source>
        <translation>der Server hat sie nicht vollständig gesendet</translation>
    </message>
</context>
<context>
    <name>Lookback::OAuthBrowserFlow</name>
    <message>
        <source>You did not allow Lookback to read your mail at %1.</source>
        <translation>Sie haben Lookback nicht erlaubt, Ihre E-Mails bei %1 zu lesen.</translation>
    </message>
    <message>
        <source>%1 refused the sign-in: %2</source>
        <translation>%1 hat die Anmeldung abgelehnt: %2</translation>
    </message>
    <message numerus="yes">
        <source>Gave up waiting for the browser after %n minute(s)</source>
        <translation>
            <numerusform>Nach %n Minute nicht mehr auf den Browser gewartet</numerusform>
            <numerusform>Nach %n Minuten nicht mehr auf den Browser gewartet</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot listen on 127.0.0.1 for the browser's answer</source>
        <translation>Kann auf 127.0.0.1 nicht auf die Antwort des Browsers warten</translation>
    </message>
    <message>
        <source>Lookback is signed in. You can close this tab and go back to Lookback.</source>
        <translation>Lookback ist angemeldet. Sie können diesen Tab schließen und zu Lookback zurückkehren.</translation>
    </message>
    <message>
        <source>The browser's answer does not belong to this sign-in; try again</source>
        <translation>Die Antwort des Browsers gehört nicht zu dieser Anmeldung; versuchen Sie es noch einmal</translation>
    </message>
    <message>
        <source>Sign-in cancelled</source>
        <translation>Anmeldung abgebrochen</translation>
    </message>
    <message>
        <source>Cannot reach %1's sign-in server: %2</source>
        <translation>Der Anmeldeserver von %1 ist nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>%1 gave no refresh token, so Lookback could not stay signed in</source>
        <translation>%1 hat kein Aktualisierungstoken geliefert, daher kann Lookback nicht angemeldet bleiben</translation>
    </message>
</context>
<context>
    <name>Lookback::OAuthSignIn</name>
    <message>
        <source>The sign-in in the keychain is unreadable: reconnect</source>
        <translation>Die Anmeldung im Schlüsselbund ist unlesbar: neu verbinden</translation>
    </message>
</context>
<context>
    <name>Lookback::OAuthToken</name>
    <message>
        <source>The sign-in server is not answering (HTTP %1)</source>
        <translation>Der Anmeldeserver antwortet nicht (HTTP %1)</translation>
    </message>
    <message>
        <source>Microsoft ended Lookback's sign-in. %1</source>
        <translation>Microsoft hat die Anmeldung von Lookback beendet. %1</translation>
    </message>
    <message>
        <source>Google ended Lookback's sign-in. %1</source>
        <translation>Google hat die Anmeldung von Lookback beendet. %1</translation>
    </message>
    <message>
        <source>The sign-in server refused Lookback's client id or secret (%1)</source>
        <translation>Der Anmeldeserver hat die Client-ID oder das Client-Geheimnis von Lookback abgelehnt (%1)</translation>
    </message>
    <message>
        <source>The sign-in server refused (HTTP %1: %2)</source>
        <translation>Der Anmeldeserver hat abgelehnt (HTTP %1: %2)</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>ohne Angabe von Gründen</translation>
    </message>
    <message>
        <source>Cannot reach the sign-in server: %1</source>
        <translation>Der Anmeldeserver ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>The sign-in server's answer has no access token</source>
        <translation>Die Antwort des Anmeldeservers enthält kein Zugriffstoken</translation>
    </message>
</context>
<context>
    <name>Lookback::ProbeWorker</name>
    <message>
        <source>No server name was given</source>
        <translation>Es wurde kein Servername angegeben</translation>
    </message>
    <message>
        <source>No port was given</source>
        <translation>Es wurde kein Port angegeben</translation>
    </message>
    <message>
        <source>%1 lists no Inbox for %2</source>
        <translation>%1 führt keinen Posteingang für %2</translation>
    </message>
    <message>
        <source>No Sent folder found on %1: no folder is marked as Sent and none is called %2</source>
        <translation>Kein Gesendet-Ordner auf %1 gefunden: Kein Ordner ist als „Gesendet“ markiert und keiner hat einen dieser Namen: %2</translation>
    </message>
    <message>
        <source>%1 has neither an Inbox nor a Sent folder to count</source>
        <translation>%1 hat weder einen Posteingang noch einen Gesendet-Ordner, der gezählt werden könnte</translation>
    </message>
    <message>
        <source>Cannot open the folder %1: %2</source>
        <translation>Der Ordner %1 kann nicht geöffnet werden: %2</translation>
    </message>
</context>
<context>
    <name>Lookback::SecretStore</name>
    <message>
        <source>The secret is too large for the keychain</source>
        <translation>Die geheimen Daten sind zu groß für den Schlüsselbund</translation>
    </message>
    <message>
        <source>The secret in the keychain is incomplete</source>
        <translation>Das Geheimnis im Schlüsselbund ist unvollständig</translation>
    </message>
    <message>
        <source>The secret in the keychain is damaged</source>
        <translation>Das Geheimnis im Schlüsselbund ist beschädigt</translation>
    </message>
</context>
<context>
    <name>Lookback::SyncService</name>
    <message>
        <source>A connection named "%1" already exists</source>
        <translation>Eine Verbindung namens „%1“ gibt es schon</translation>
    </message>
    <message>
        <source>This kind of connection does not use a password</source>
        <translation>Diese Art von Verbindung verwendet kein Passwort</translation>
    </message>
    <message>
        <source>Disconnected: the sign-in was removed from the keychain</source>
        <translation>Getrennt: die Anmeldung wurde aus dem Schlüsselbund entfernt</translation>
    </message>
    <message>
        <source>No such connection</source>
        <translation>Diese Verbindung gibt es nicht</translation>
    </message>
    <message>
        <source>This connection does not sign in with a browser</source>
        <translation>Diese Verbindung meldet sich nicht über einen Browser an</translation>
    </message>
    <message>
        <source>Sign-in cancelled</source>
        <translation>Anmeldung abgebrochen</translation>
    </message>
    <message>
        <source>That connection is gone</source>
        <translation>Diese Verbindung gibt es nicht mehr</translation>
    </message>
    <message>
        <source>You signed in as %1, but this connection is %2: sign in with %2</source>
        <translation>Sie haben sich als %1 angemeldet, aber diese Verbindung ist %2: melden Sie sich mit %2 an</translation>
    </message>
    <message>
        <source>Shared mailboxes can be added only under a Microsoft 365 connection</source>
        <translation>Freigegebene Postfächer können nur unter einer Microsoft-365-Verbindung hinzugefügt werden</translation>
    </message>
    <message>
        <source>"%1" is not a mailbox address (like support@example.com)</source>
        <translation>„%1“ ist keine Postfachadresse (wie support@example.com)</translation>
    </message>
    <message>
        <source>That is %1's own mailbox</source>
        <translation>Das ist das eigene Postfach von %1</translation>
    </message>
    <message>
        <source>%1 is already added as "%2"</source>
        <translation>%1 ist bereits als „%2“ hinzugefügt</translation>
    </message>
</context>
<context>
    <name>Lookback::SyncTask</name>
    <message>
        <source>No archive writer</source>
        <translation>Kein Schreiber für das Archiv</translation>
    </message>
    <message>
        <source>No such connection</source>
        <translation>Diese Verbindung gibt es nicht</translation>
    </message>
    <message>
        <source>Replaced by a backfill of another range</source>
        <translation>Ersetzt durch einen Abgleich eines anderen Zeitraums</translation>
    </message>
    <message>
        <source>all mail</source>
        <translation>alle E-Mails</translation>
    </message>
    <message>
        <source>the last day</source>
        <translation>den letzten Tag</translation>
    </message>
    <message>
        <source>the last %1 days</source>
        <translation>die letzten %1 Tage</translation>
    </message>
    <message>
        <source>Sync complete — 1 message from %1</source>
        <translation>Abgleich fertig — 1 Nachricht aus %1</translation>
    </message>
    <message>
        <source>Sync complete — %1 messages from %2</source>
        <translation>Abgleich fertig — %1 Nachrichten aus %2</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Auf dem neuesten Stand</translation>
    </message>
    <message>
        <source>Up to date — 1 new message</source>
        <translation>Auf dem neuesten Stand — 1 neue Nachricht</translation>
    </message>
    <message>
        <source>Up to date — %1 new messages</source>
        <translation>Auf dem neuesten Stand — %1 neue Nachrichten</translation>
    </message>
    <message>
        <source>; 1 message could not be read</source>
        <translation>; 1 Nachricht konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>; %1 messages could not be read</source>
        <translation>; %1 Nachrichten konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Paused after %1 messages</source>
        <translation>Angehalten nach %1 Nachrichten</translation>
    </message>
    <message>
        <source>Cancelled — %1 messages kept</source>
        <translation>Abgebrochen — %1 Nachrichten behalten</translation>
    </message>
    <message>
        <source>%1, %2 times in a row</source>
        <translation>%1, %2-mal hintereinander</translation>
    </message>
    <message>
        <source>the personal connection</source>
        <translation>die persönliche Verbindung</translation>
    </message>
    <message>
        <source>Waiting on %1 — reconnect it</source>
        <translation>Wartet auf %1 – bitte neu verbinden</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::AddConnectionDialog</name>
    <message>
        <source>Add a connection</source>
        <translation>Verbindung hinzufügen</translation>
    </message>
    <message>
        <source>Where is your mail?</source>
        <translation>Wo liegen Ihre E-Mails?</translation>
    </message>
    <message>
        <source>&amp;IMAP mail server</source>
        <translation>&amp;IMAP-Mailserver</translation>
    </message>
    <message>
        <source>&amp;Gmail</source>
        <translation>&amp;Gmail</translation>
    </message>
    <message>
        <source>&amp;Microsoft 365</source>
        <translation>&amp;Microsoft 365</translation>
    </message>
    <message>
        <source>For example: Work mail</source>
        <translation>Zum Beispiel: Arbeit</translation>
    </message>
    <message>
        <source>Connection name</source>
        <translation>Name der Verbindung</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>imap.example.com</source>
        <translation>imap.example.com</translation>
    </message>
    <message>
        <source>IMAP server</source>
        <translation>IMAP-Server</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>TLS (recommended)</source>
        <translation>TLS (empfohlen)</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>None (unencrypted)</source>
        <translation>Keine (unverschlüsselt)</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Verschlüsselung</translation>
    </message>
    <message>
        <source>&amp;Encryption:</source>
        <translation>&amp;Verschlüsselung:</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>Without encryption, your password and your mail cross the network as plain text: anyone along the way can read them. Use this only on a network you control.</source>
        <translation>Ohne Verschlüsselung gehen Ihr Passwort und Ihre E-Mails im Klartext über das Netzwerk: Jeder auf dem Weg kann sie mitlesen. Verwenden Sie dies nur in einem Netzwerk, das Sie selbst kontrollieren.</translation>
    </message>
    <message>
        <source>I &amp;understand: send my password unencrypted</source>
        <translation>Ich verstehe: Passwort &amp;unverschlüsselt senden</translation>
    </message>
    <message>
        <source>Usually your email address</source>
        <translation>Meist Ihre E-Mail-Adresse</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>Password or app password</source>
        <translation>Passwort oder App-Passwort</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <source>Your password, or an app password if your provider uses two-step verification. It is kept in the system keychain.</source>
        <translation>Ihr Passwort oder ein App-Passwort, falls Ihr Anbieter die Bestätigung in zwei Schritten verwendet. Es wird im Schlüsselbund des Systems gespeichert.</translation>
    </message>
    <message>
        <source>Gmail accepts IMAP sign-in only with an app password: Google Account › Security › 2-Step Verification › App passwords.</source>
        <translation>Gmail akzeptiert die IMAP-Anmeldung nur mit einem App-Passwort: Google-Konto › Sicherheit › Bestätigung in zwei Schritten › App-Passwörter.</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint of the server's certificate</source>
        <translation>SHA-256-Fingerabdruck des Serverzertifikats</translation>
    </message>
    <message>
        <source>T&amp;rust this certificate</source>
        <translation>Diesem &amp;Zertifikat vertrauen</translation>
    </message>
    <message>
        <source>C&amp;onnect</source>
        <translation>Verbin&amp;den</translation>
    </message>
    <message>
        <source>Gmail</source>
        <translation>Gmail</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Wird getestet…</translation>
    </message>
    <message>
        <source>Testing the connection to %1…</source>
        <translation>Verbindung zu %1 wird getestet…</translation>
    </message>
    <message>
        <source>Connecting, checking the certificate, signing in and looking for Inbox and Sent.</source>
        <translation>Verbinden, Zertifikat prüfen, anmelden und Posteingang und Gesendet suchen.</translation>
    </message>
    <message>
        <source>Signed in as %1. Lookback will archive the Inbox “%2” and the Sent folder “%3”.</source>
        <translation>Angemeldet als %1. Lookback archiviert den Posteingang „%2“ und den Gesendet-Ordner „%3“.</translation>
    </message>
    <message>
        <source>Connection works</source>
        <translation>Verbindung funktioniert</translation>
    </message>
    <message>
        <source>Using the certificate you trusted:
%1</source>
        <translation>Verwendet wird das Zertifikat, dem Sie vertraut haben:
%1</translation>
    </message>
    <message>
        <source>Cannot reach the server</source>
        <translation>Server nicht erreichbar</translation>
    </message>
    <message>
        <source>Lookback could not talk to %1 on port %2. Check the server name and the port, and that this computer is online.</source>
        <translation>Lookback konnte %1 auf Port %2 nicht erreichen. Prüfen Sie den Servernamen und den Port und ob dieser Computer online ist.</translation>
    </message>
    <message>
        <source>The server's certificate is not trusted</source>
        <translation>Das Zertifikat des Servers ist nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>Lookback cannot confirm who is answering at %1. A server with a certificate of its own looks like this, and so would someone intercepting the connection. Compare this SHA-256 fingerprint with the one the server's administrator gives you, and trust it only if they match:</source>
        <translation>Lookback kann nicht bestätigen, wer unter %1 antwortet. So sieht ein Server mit einem selbst ausgestellten Zertifikat aus – aber ebenso jemand, der die Verbindung abfängt. Vergleichen Sie diesen SHA-256-Fingerabdruck mit dem, den Ihnen die Administration des Servers nennt, und vertrauen Sie ihm nur, wenn beide übereinstimmen:</translation>
    </message>
    <message>
        <source>A secure connection could not be set up</source>
        <translation>Es konnte keine sichere Verbindung hergestellt werden</translation>
    </message>
    <message>
        <source>Check the encryption and the port: TLS usually uses port 993, STARTTLS port 143.</source>
        <translation>Prüfen Sie Verschlüsselung und Port: TLS verwendet meist Port 993, STARTTLS Port 143.</translation>
    </message>
    <message>
        <source>Login rejected</source>
        <translation>Anmeldung abgelehnt</translation>
    </message>
    <message>
        <source>%1 did not accept this username and password. Many providers want an app password here when two-step verification is on.</source>
        <translation>%1 hat diesen Benutzernamen und dieses Passwort nicht akzeptiert. Viele Anbieter verlangen hier ein App-Passwort, wenn die Bestätigung in zwei Schritten aktiviert ist.</translation>
    </message>
    <message>
        <source>No Inbox found</source>
        <translation>Kein Posteingang gefunden</translation>
    </message>
    <message>
        <source>The login worked, but the server shows no Inbox for this account.</source>
        <translation>Die Anmeldung war erfolgreich, aber der Server zeigt für dieses Konto keinen Posteingang an.</translation>
    </message>
    <message>
        <source>No Sent folder found</source>
        <translation>Kein Gesendet-Ordner gefunden</translation>
    </message>
    <message>
        <source>The login worked and the Inbox is “%1”, but no folder is marked as Sent mail. Lookback archives Inbox and Sent together.</source>
        <translation>Die Anmeldung war erfolgreich und der Posteingang ist „%1“, aber kein Ordner ist für gesendete E-Mails markiert. Lookback archiviert Posteingang und Gesendet gemeinsam.</translation>
    </message>
    <message>
        <source>This server cannot be used as set up</source>
        <translation>Dieser Server kann mit diesen Einstellungen nicht verwendet werden</translation>
    </message>
    <message>
        <source>The test failed</source>
        <translation>Der Test ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>Details: %1</translation>
    </message>
    <message>
        <source>Lookback opens Google's sign-in page in your web browser. You sign in there (Lookback never sees your password) and allow it to read your mail. It asks for nothing more: it cannot send, change or delete anything.</source>
        <translation>Lookback öffnet die Anmeldeseite von Google in Ihrem Webbrowser. Dort melden Sie sich an (Lookback sieht Ihr Passwort nie) und erlauben Lookback, Ihre E-Mails zu lesen. Mehr verlangt es nicht: Es kann nichts senden, ändern oder löschen.</translation>
    </message>
    <message>
        <source>N&amp;ame:</source>
        <translation>N&amp;ame:</translation>
    </message>
    <message>
        <source>Google needs to know which program is asking. Create a “Desktop app” OAuth client in the Google Cloud console (with the Gmail API and the gmail.readonly scope) and enter its ID and secret here, or set LOOKBACK_GOOGLE_CLIENT_ID and LOOKBACK_GOOGLE_CLIENT_SECRET. The README explains each step.</source>
        <translation>Google muss wissen, welches Programm fragt. Legen Sie in der Google Cloud Console einen OAuth-Client vom Typ „Desktop-App“ an (mit der Gmail API und dem Bereich gmail.readonly) und geben Sie hier seine ID und sein Geheimnis ein, oder setzen Sie LOOKBACK_GOOGLE_CLIENT_ID und LOOKBACK_GOOGLE_CLIENT_SECRET. Die README erklärt jeden Schritt.</translation>
    </message>
    <message>
        <source>…apps.googleusercontent.com</source>
        <translation>…apps.googleusercontent.com</translation>
    </message>
    <message>
        <source>OAuth client ID</source>
        <translation>OAuth-Client-ID</translation>
    </message>
    <message>
        <source>Client &amp;ID:</source>
        <translation>Client-&amp;ID:</translation>
    </message>
    <message>
        <source>OAuth client secret</source>
        <translation>OAuth-Client-Geheimnis</translation>
    </message>
    <message>
        <source>Client &amp;secret:</source>
        <translation>Client-&amp;Geheimnis:</translation>
    </message>
    <message>
        <source>Set up Gmail over IMAP with an app password instead</source>
        <translation>Gmail stattdessen über IMAP mit einem App-Passwort einrichten</translation>
    </message>
    <message>
        <source>C&amp;ontinue in your browser…</source>
        <translation>Im Br&amp;owser fortfahren…</translation>
    </message>
    <message>
        <source>Lookback opens Microsoft's sign-in page in your web browser. You sign in there (Lookback never sees your password) and allow it to read your mail and the mailboxes shared with you. It cannot send, change or delete anything. Shared mailboxes are added afterwards, from this connection's card.</source>
        <translation>Lookback öffnet die Anmeldeseite von Microsoft in Ihrem Webbrowser. Dort melden Sie sich an (Lookback sieht Ihr Passwort nie) und erlauben Lookback, Ihre E-Mails und die für Sie freigegebenen Postfächer zu lesen. Es kann nichts senden, ändern oder löschen. Freigegebene Postfächer fügen Sie danach über die Karte dieser Verbindung hinzu.</translation>
    </message>
    <message>
        <source>Microsoft 365</source>
        <translation>Microsoft 365</translation>
    </message>
    <message>
        <source>Microsoft needs to know which program is asking. Register an application in the Microsoft Entra admin center (a public client with the “Mobile and desktop applications” platform and the redirect URI http://127.0.0.1) and enter its application (client) ID here, or set LOOKBACK_MICROSOFT_CLIENT_ID. The README explains each step.</source>
        <translation>Microsoft muss wissen, welches Programm fragt. Registrieren Sie im Microsoft Entra Admin Center eine Anwendung (einen öffentlichen Client mit der Plattform „Mobile Anwendungen und Desktopanwendungen“ und dem Umleitungs-URI http://127.0.0.1) und geben Sie hier ihre Anwendungs-ID (Client) ein, oder setzen Sie LOOKBACK_MICROSOFT_CLIENT_ID. Die README erklärt jeden Schritt.</translation>
    </message>
    <message>
        <source>00000000-0000-0000-0000-000000000000</source>
        <translation>00000000-0000-0000-0000-000000000000</translation>
    </message>
    <message>
        <source>Application (client) ID</source>
        <translation>Anwendungs-ID (Client)</translation>
    </message>
    <message>
        <source>Application I&amp;D:</source>
        <translation>An&amp;wendungs-ID:</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::ArchiveBrowser</name>
    <message>
        <source> — %1</source>
        <extracomment>Between a message's subject and the start of its text in the message list</extracomment>
        <translation> – %1</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Search the archive</source>
        <translation>Archiv durchsuchen</translation>
    </message>
    <message>
        <source>&lt;p&gt;Words are looked up anywhere in a message, also as the start of a word.&lt;/p&gt;&lt;p&gt;&lt;b&gt;from:&lt;/b&gt;bob &amp;nbsp; who sent it&lt;br&gt;&lt;b&gt;to:&lt;/b&gt;alice &amp;nbsp; who received it (To or Cc)&lt;br&gt;&lt;b&gt;subject:&lt;/b&gt;invoice &amp;nbsp; words in the subject&lt;br&gt;&lt;b&gt;after:&lt;/b&gt;2024-01-31 &amp;nbsp; received on or after that day&lt;br&gt;&lt;b&gt;before:&lt;/b&gt;2024-03-01 &amp;nbsp; received before that day&lt;br&gt;&lt;b&gt;in:&lt;/b&gt;inbox or &lt;b&gt;in:&lt;/b&gt;sent &amp;nbsp; one folder&lt;/p&gt;&lt;p&gt;Quotes keep a phrase together: "quarterly report"&lt;/p&gt;</source>
        <translation>&lt;p&gt;Wörter werden überall in einer Nachricht gesucht, auch als Wortanfang.&lt;/p&gt;&lt;p&gt;&lt;b&gt;from:&lt;/b&gt;bob &amp;nbsp; wer sie gesendet hat&lt;br&gt;&lt;b&gt;to:&lt;/b&gt;alice &amp;nbsp; wer sie empfangen hat (An oder Cc)&lt;br&gt;&lt;b&gt;subject:&lt;/b&gt;Rechnung &amp;nbsp; Wörter im Betreff&lt;br&gt;&lt;b&gt;after:&lt;/b&gt;2024-01-31 &amp;nbsp; empfangen an oder nach diesem Tag&lt;br&gt;&lt;b&gt;before:&lt;/b&gt;2024-03-01 &amp;nbsp; empfangen vor diesem Tag&lt;br&gt;&lt;b&gt;in:&lt;/b&gt;inbox oder &lt;b&gt;in:&lt;/b&gt;sent &amp;nbsp; nur ein Ordner&lt;/p&gt;&lt;p&gt;Anführungszeichen halten eine Wortgruppe zusammen: "Bericht zum Quartal"&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Back to the list shown before (%1)</source>
        <translation>Zurück zur vorherigen Liste (%1)</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Search %1 — from: to: subject: before: after:</source>
        <extracomment>Search box placeholder; %1 is a folder or connection ("All mail", "Inbox · Work")</extracomment>
        <translation>%1 durchsuchen – from: to: subject: before: after:</translation>
    </message>
    <message>
        <source>The archive cannot be opened: %1</source>
        <translation>Das Archiv kann nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Nothing is archived yet. Connect a mailbox and sync it to fill the archive.</source>
        <translation>Noch ist nichts archiviert. Verbinden Sie ein Postfach und synchronisieren Sie es, um das Archiv zu füllen.</translation>
    </message>
    <message>
        <source>No messages here.</source>
        <translation>Hier sind keine Nachrichten.</translation>
    </message>
    <message>
        <source>No messages match</source>
        <translation>Keine passenden Nachrichten</translation>
    </message>
    <message numerus="yes">
        <source>%Ln result(s)</source>
        <translation>
            <numerusform>%Ln Ergebnis</numerusform>
            <numerusform>%Ln Ergebnisse</numerusform>
        </translation>
    </message>
    <message>
        <source>More than %L1 results, counting…</source>
        <translation>Mehr als %L1 Ergebnisse, wird gezählt…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message numerus="yes">
        <source>With %1 — %Ln message(s)</source>
        <translation>
            <numerusform>Mit %1 – %Ln Nachricht</numerusform>
            <numerusform>Mit %1 – %Ln Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>With %1</source>
        <translation>Mit %1</translation>
    </message>
    <message numerus="yes">
        <source>Conversation: %1 — %Ln message(s)</source>
        <translation>
            <numerusform>Unterhaltung: %1 – %Ln Nachricht</numerusform>
            <numerusform>Unterhaltung: %1 – %Ln Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(kein Betreff)</translation>
    </message>
    <message>
        <source>Sync log…</source>
        <translation>Synchronisierungsprotokoll…</translation>
    </message>
    <message>
        <source>Show conversation</source>
        <translation>Unterhaltung anzeigen</translation>
    </message>
    <message>
        <source>Conversations with %1</source>
        <translation>Unterhaltungen mit %1</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::BrowserSignInDialog</name>
    <message>
        <source>Microsoft</source>
        <translation>Microsoft</translation>
    </message>
    <message>
        <source>Google</source>
        <translation>Google</translation>
    </message>
    <message>
        <source>Reconnect %1</source>
        <translation>%1 neu verbinden</translation>
    </message>
    <message>
        <source>Sign in with %1</source>
        <translation>Mit %1 anmelden</translation>
    </message>
    <message>
        <source>Continue in your browser…</source>
        <translation>Im Browser fortfahren…</translation>
    </message>
    <message>
        <source>Waiting for the browser</source>
        <translation>Warten auf den Browser</translation>
    </message>
    <message>
        <source>The address it opened:</source>
        <translation>Die geöffnete Adresse:</translation>
    </message>
    <message>
        <source>Sign-in address</source>
        <translation>Anmeldeadresse</translation>
    </message>
    <message>
        <source>Preparing the sign-in…</source>
        <translation>Anmeldung wird vorbereitet…</translation>
    </message>
    <message>
        <source>&amp;Copy link</source>
        <translation>Link &amp;kopieren</translation>
    </message>
    <message>
        <source>&amp;Open again</source>
        <translation>Erneut ö&amp;ffnen</translation>
    </message>
    <message>
        <source>No browser could be opened from here. Copy the link and open it in the browser you use.</source>
        <translation>Von hier aus ließ sich kein Browser öffnen. Kopieren Sie den Link und öffnen Sie ihn in Ihrem Browser.</translation>
    </message>
    <message>
        <source>Lookback never sees your password. It asks only to read your mail, and keeps the permission you give in the system keychain.</source>
        <translation>Lookback sieht Ihr Passwort nie. Es bittet nur darum, Ihre E-Mails zu lesen, und bewahrt die Erlaubnis im Schlüsselbund des Systems auf.</translation>
    </message>
    <message>
        <source>The sign-in did not finish</source>
        <translation>Die Anmeldung wurde nicht abgeschlossen</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>&amp;Erneut versuchen</translation>
    </message>
    <message>
        <source>The archive is untouched. Try again, or close this window and reconnect later.</source>
        <translation>Das Archiv bleibt unverändert. Versuchen Sie es noch einmal, oder schließen Sie dieses Fenster und verbinden Sie später neu.</translation>
    </message>
    <message>
        <source>Nothing was saved. Try again, or close this window and add the connection later.</source>
        <translation>Es wurde nichts gespeichert. Versuchen Sie es noch einmal, oder schließen Sie dieses Fenster und fügen Sie die Verbindung später hinzu.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Lookback opened %1's sign-in page in your web browser. Sign in there as %2 and allow Lookback to read your mail again; this window goes on by itself.</source>
        <translation>Lookback hat die Anmeldeseite von %1 in Ihrem Webbrowser geöffnet. Melden Sie sich dort als %2 an und erlauben Sie Lookback wieder, Ihre E-Mails zu lesen; dieses Fenster macht dann von selbst weiter.</translation>
    </message>
    <message>
        <source>Lookback opened %1's sign-in page in your web browser. Sign in there and allow Lookback to read your mail; this window goes on by itself.</source>
        <translation>Lookback hat die Anmeldeseite von %1 in Ihrem Webbrowser geöffnet. Melden Sie sich dort an und erlauben Sie Lookback, Ihre E-Mails zu lesen; dieses Fenster macht dann von selbst weiter.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::ConnectionCard</name>
    <message>
        <source>Less than a minute left</source>
        <translation>Noch weniger als eine Minute</translation>
    </message>
    <message numerus="yes">
        <source>About %n minute(s) left</source>
        <translation>
            <numerusform>Noch etwa %n Minute</numerusform>
            <numerusform>Noch etwa %n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>About %n hour(s) left</source>
        <translation>
            <numerusform>Noch etwa %n Stunde</numerusform>
            <numerusform>Noch etwa %n Stunden</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>Fortschritt der Synchronisierung</translation>
    </message>
    <message>
        <source>Cancel this backfill (what was already archived stays)</source>
        <translation>Diesen Verlaufsabruf abbrechen (bereits Archiviertes bleibt erhalten)</translation>
    </message>
    <message>
        <source>Cancel backfill</source>
        <translation>Verlaufsabruf abbrechen</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Mehr</translation>
    </message>
    <message>
        <source>More actions</source>
        <translation>Weitere Aktionen</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Jetzt synchronisieren</translation>
    </message>
    <message>
        <source>Backfill more history…</source>
        <translation>Weiteren Verlauf abrufen…</translation>
    </message>
    <message>
        <source>Reconnect…</source>
        <translation>Neu verbinden…</translation>
    </message>
    <message>
        <source>Sync log</source>
        <translation>Synchronisierungsprotokoll</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Trennen</translation>
    </message>
    <message>
        <source>all mail</source>
        <translation>alle E-Mails</translation>
    </message>
    <message>
        <source>the last 12 months</source>
        <translation>letzte 12 Monate</translation>
    </message>
    <message numerus="yes">
        <source>the last %n day(s)</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>letzte %n Tage</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection %1</source>
        <translation>Verbindung %1</translation>
    </message>
    <message numerus="yes">
        <source>Sync complete — %Ln message(s) from %1</source>
        <translation>
            <numerusform>Synchronisierung abgeschlossen – %Ln Nachricht (%1)</numerusform>
            <numerusform>Synchronisierung abgeschlossen – %Ln Nachrichten (%1)</numerusform>
        </translation>
    </message>
    <message>
        <source>No history synced yet</source>
        <translation>Noch kein Verlauf synchronisiert</translation>
    </message>
    <message>
        <source>Syncing %1</source>
        <translation>Wird synchronisiert: %1</translation>
    </message>
    <message>
        <source>Paused — %1</source>
        <translation>Pausiert: %1</translation>
    </message>
    <message>
        <source>Synced %1</source>
        <translation>Synchronisiert: %1</translation>
    </message>
    <message>
        <source>Backfill of %1 cancelled</source>
        <translation>Verlaufsabruf abgebrochen: %1</translation>
    </message>
    <message>
        <source>Sync of %1 failed</source>
        <translation>Synchronisierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Counting messages on the server…</source>
        <translation>Nachrichten auf dem Server werden gezählt…</translation>
    </message>
    <message>
        <source>%1 of ~%2 messages</source>
        <translation>%1 von ~%2 Nachrichten</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Resume backfill</source>
        <translation>Verlaufsabruf fortsetzen</translation>
    </message>
    <message>
        <source>Pause backfill</source>
        <translation>Verlaufsabruf pausieren</translation>
    </message>
    <message numerus="yes">
        <source>No new messages for %n minute(s). The server may be slow or the connection stuck.</source>
        <translation>
            <numerusform>Seit %n Minute keine neuen Nachrichten. Der Server ist vielleicht langsam oder die Verbindung hängt.</numerusform>
            <numerusform>Seit %n Minuten keine neuen Nachrichten. Der Server ist vielleicht langsam oder die Verbindung hängt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Lookback could not sign in: %1</source>
        <translation>Lookback konnte sich nicht anmelden: %1</translation>
    </message>
    <message>
        <source>Access was removed: %1</source>
        <translation>Der Zugriff wurde entzogen: %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Cancel backfill?</source>
        <translation>Verlaufsabruf abbrechen?</translation>
    </message>
    <message>
        <source>Stop syncing the history of %1 for good? The %2 messages already archived stay, and new mail keeps arriving.</source>
        <translation>Die Synchronisierung des Verlaufs von %1 endgültig beenden? Die %2 bereits archivierten Nachrichten bleiben erhalten, und neue E-Mails kommen weiterhin an.</translation>
    </message>
    <message>
        <source>Keep syncing</source>
        <translation>Weiter synchronisieren</translation>
    </message>
    <message>
        <source>new mail</source>
        <translation>neue E-Mails</translation>
    </message>
    <message>
        <source>Checking for new mail</source>
        <translation>Suche nach neuen E-Mails</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Auf dem neuesten Stand</translation>
    </message>
    <message>
        <source>%1 of %2 new messages</source>
        <translation>%1 von %2 neuen Nachrichten</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) could not be read</source>
        <translation>
            <numerusform>%n Nachricht konnte nicht gelesen werden</numerusform>
            <numerusform>%n Nachrichten konnten nicht gelesen werden</numerusform>
        </translation>
    </message>
    <message>
        <source>Gmail · %1</source>
        <translation>Gmail · %1</translation>
    </message>
    <message>
        <source>Microsoft 365 · %1</source>
        <translation>Microsoft 365 · %1</translation>
    </message>
    <message>
        <source>Add shared mailbox…</source>
        <translation>Freigegebenes Postfach hinzufügen…</translation>
    </message>
    <message>
        <source>Shared mailbox · %1</source>
        <translation>Freigegebenes Postfach · %1</translation>
    </message>
    <message>
        <source>Waiting on %1 — reconnect it. This mailbox goes on by itself once it is.</source>
        <translation>Wartet auf %1 – bitte neu verbinden. Danach macht dieses Postfach von selbst weiter.</translation>
    </message>
    <message>
        <source>the personal connection</source>
        <translation>die persönliche Verbindung</translation>
    </message>
    <message>
        <source>Reconnect %1…</source>
        <translation>%1 neu verbinden…</translation>
    </message>
    <message>
        <source>Waiting — %1</source>
        <translation>Wartet — %1</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::ConnectionsPage</name>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Add connection…</source>
        <translation>Verbindung hinzufügen…</translation>
    </message>
    <message>
        <source>No mailbox connected yet.
Add a connection (IMAP, Gmail or Microsoft 365) to pull its history onto this computer.</source>
        <translation>Noch kein Postfach verbunden.
Fügen Sie eine Verbindung hinzu (IMAP, Gmail oder Microsoft 365), um ihren Verlauf auf diesen Computer zu holen.</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::FolderTreeModel</name>
    <message>
        <source>Inbox</source>
        <translation>Posteingang</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <extracomment>A folder of a connection, e.g. "Inbox · Work"</extracomment>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>All mail</source>
        <translation>Alle E-Mails</translation>
    </message>
    <message numerus="yes">
        <source>%1, %Ln message(s)</source>
        <translation>
            <numerusform>%1, %Ln Nachricht</numerusform>
            <numerusform>%1, %Ln Nachrichten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln message(s)</source>
        <translation>
            <numerusform>%Ln Nachricht</numerusform>
            <numerusform>%Ln Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (on the server: %2)</source>
        <translation>%1 (auf dem Server: %2)</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>Every archived message of every connection</source>
        <translation>Alle archivierten Nachrichten aller Verbindungen</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::HealthBadge</name>
    <message>
        <source>Healthy</source>
        <translation>In Ordnung</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Wird synchronisiert</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Throttled</source>
        <translation>Gedrosselt</translation>
    </message>
    <message>
        <source>Throttled — retrying at %1</source>
        <translation>Gedrosselt – neuer Versuch um %1</translation>
    </message>
    <message>
        <source>Needs reconnect</source>
        <translation>Neuverbindung nötig</translation>
    </message>
    <message>
        <source>Permission lost</source>
        <translation>Zugriff entzogen</translation>
    </message>
    <message>
        <source>Waiting on %1 — reconnect it</source>
        <translation>Wartet auf %1 – bitte neu verbinden</translation>
    </message>
    <message>
        <source>the personal connection</source>
        <translation>die persönliche Verbindung</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Offline — retrying at %1</source>
        <translation>Offline – neuer Versuch um %1</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Connection status: %1</source>
        <translation>Verbindungsstatus: %1</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::MainWindow</name>
    <message>
        <source>Lookback</source>
        <translation>Lookback</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Archiv</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Add connection…</source>
        <translation>Verbindung &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Connections</source>
        <translation>&amp;Verbindungen</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>&amp;Archive</source>
        <translation>&amp;Archiv</translation>
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation>Ctrl+2</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Lookback</source>
        <translation>Ü&amp;ber Lookback</translation>
    </message>
    <message>
        <source>About Lookback</source>
        <translation>Über Lookback</translation>
    </message>
    <message>
        <source>&lt;b&gt;Lookback&lt;/b&gt; %1&lt;br&gt;Your mailbox's history, on your own computer.</source>
        <translation>&lt;b&gt;Lookback&lt;/b&gt; %1&lt;br&gt;Der Verlauf Ihres Postfachs – auf Ihrem eigenen Computer.</translation>
    </message>
    <message>
        <source>Disconnect %1?</source>
        <translation>%1 trennen?</translation>
    </message>
    <message>
        <source>Syncing stops and the sign-in is removed from the keychain. Everything already archived stays on this computer.</source>
        <translation>Die Synchronisierung wird beendet und die Anmeldedaten werden aus dem Schlüsselbund entfernt. Alles bereits Archivierte bleibt auf diesem Computer.</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Trennen</translation>
    </message>
    <message>
        <source>Show Lookback</source>
        <translation>Lookback anzeigen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Could not add the connection</source>
        <translation>Die Verbindung konnte nicht hinzugefügt werden</translation>
    </message>
    <message>
        <source>Reconnect %1</source>
        <translation>%1 neu verbinden</translation>
    </message>
    <message>
        <source>Password or app password for %1 on %2:</source>
        <translation>Passwort oder App-Passwort für %1 auf %2:</translation>
    </message>
    <message>
        <source>No keychain available</source>
        <translation>Kein Schlüsselbund verfügbar</translation>
    </message>
    <message>
        <source>Lookback keeps passwords only in the system keychain, and none is usable:
%1

Keep the password in memory for this session only? You will be asked again next time. It is never written to disk.</source>
        <translation>Lookback speichert Passwörter nur im Schlüsselbund des Systems, und keiner ist nutzbar:
%1

Das Passwort nur für diese Sitzung im Arbeitsspeicher behalten? Beim nächsten Mal werden Sie erneut gefragt. Es wird nie auf die Festplatte geschrieben.</translation>
    </message>
    <message>
        <source>Keep for this session</source>
        <translation>Für diese Sitzung behalten</translation>
    </message>
    <message>
        <source>Forget it</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Sync complete</source>
        <translation>Synchronisierung abgeschlossen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 needs attention</source>
        <translation>%1 erfordert Ihre Aufmerksamkeit</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::MessageListModel</name>
    <message>
        <source>To: %1</source>
        <translation>An: %1</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(unbekannt)</translation>
    </message>
    <message>
        <source>%1 &lt;%2&gt;</source>
        <translation>%1 &lt;%2&gt;</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(kein Betreff)</translation>
    </message>
    <message>
        <source>%1
%2</source>
        <translation>%1
%2</translation>
    </message>
    <message>
        <source>Has attachments</source>
        <translation>Mit Anhängen</translation>
    </message>
    <message>
        <source>To</source>
        <translation>An</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>From / To</source>
        <translation>Von / An</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Betreff</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Anhänge</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::MessageView</name>
    <message>
        <source>%1, %2</source>
        <extracomment>A message's date in its header: %1 is the long date, %2 the time.</extracomment>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Select a message to read it.</source>
        <translation>Wählen Sie eine Nachricht aus, um sie zu lesen.</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Von:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>An:</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Cc:</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>Datum:</translation>
    </message>
    <message>
        <source>Click an address to see every message exchanged with it.</source>
        <translation>Klicken Sie auf eine Adresse, um alle mit ihr ausgetauschten Nachrichten zu sehen.</translation>
    </message>
    <message>
        <source>Remote images were not loaded, so the sender cannot tell that you opened this message.</source>
        <translation>Externe Bilder wurden nicht geladen, damit der Absender nicht erfährt, dass Sie diese Nachricht geöffnet haben.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Open at the provider</source>
        <translation>Beim Anbieter öffnen</translation>
    </message>
    <message>
        <source>%1 &amp;lt;%2&amp;gt;</source>
        <translation>%1 &amp;lt;%2&amp;gt;</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(kein Betreff)</translation>
    </message>
    <message>
        <source>Received %1</source>
        <translation>Empfangen am %1</translation>
    </message>
    <message numerus="yes">
        <source>Attachments (%Ln)</source>
        <translation>
            <numerusform>Anhang (%Ln)</numerusform>
            <numerusform>Anhänge (%Ln)</numerusform>
        </translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(unbenannt)</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Lookback keeps only these details; the files themselves stay at your provider.</source>
        <translation>Lookback speichert nur diese Angaben; die Dateien selbst bleiben bei Ihrem Anbieter.</translation>
    </message>
    <message>
        <source>Open this message in your web browser, where its attachments can be downloaded.</source>
        <translation>Diese Nachricht im Webbrowser öffnen, wo die Anhänge heruntergeladen werden können.</translation>
    </message>
    <message>
        <source>Lookback keeps only these details; the files themselves stay on your mail server. Open the message in your usual mail program to get them.</source>
        <translation>Lookback speichert nur diese Angaben; die Dateien selbst bleiben auf Ihrem Mailserver. Öffnen Sie die Nachricht in Ihrem gewohnten E-Mail-Programm, um sie zu erhalten.</translation>
    </message>
    <message>
        <source>Not available for IMAP: a generic IMAP server has no web address for a single message.</source>
        <translation>Für IMAP nicht verfügbar: Ein gewöhnlicher IMAP-Server hat keine Webadresse für einzelne Nachrichten.</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::RangePickerDialog</name>
    <message>
        <source>How much mail should we sync?</source>
        <translation>Wie viele E-Mails sollen synchronisiert werden?</translation>
    </message>
    <message>
        <source>Lookback copies the Inbox and Sent mail of “%1” to this computer, newest first. You can fetch older mail later.</source>
        <translation>Lookback kopiert den Posteingang und die gesendeten E-Mails von „%1“ auf diesen Computer, die neuesten zuerst. Ältere E-Mails können Sie später abrufen.</translation>
    </message>
    <message>
        <source>Last &amp;30 days</source>
        <translation>Letzte &amp;30 Tage</translation>
    </message>
    <message>
        <source>Last &amp;90 days</source>
        <translation>Letzte &amp;90 Tage</translation>
    </message>
    <message>
        <source>Last 12 &amp;months</source>
        <translation>Letzte 12 &amp;Monate</translation>
    </message>
    <message>
        <source>&amp;Everything</source>
        <translation>&amp;Alles</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>Empfohlen</translation>
    </message>
    <message>
        <source>&amp;Custom:</source>
        <translation>&amp;Eigener Zeitraum:</translation>
    </message>
    <message>
        <source>Custom number of days</source>
        <translation>Eigene Anzahl von Tagen</translation>
    </message>
    <message>
        <source>days</source>
        <translation>Tage</translation>
    </message>
    <message>
        <source>S&amp;kip for now</source>
        <translation>Vorerst ü&amp;berspringen</translation>
    </message>
    <message>
        <source>Skip: nothing is copied now; only new mail from now on. You can fetch history later.</source>
        <translation>Überspringen: Jetzt wird nichts kopiert, nur neue E-Mails ab sofort. Den Verlauf können Sie später abrufen.</translation>
    </message>
    <message>
        <source>&amp;Start sync</source>
        <translation>&amp;Synchronisierung starten</translation>
    </message>
    <message>
        <source>under a minute</source>
        <translation>unter einer Minute</translation>
    </message>
    <message numerus="yes">
        <source>about %n minute(s)</source>
        <translation>
            <numerusform>etwa %n Minute</numerusform>
            <numerusform>etwa %n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n hour(s)</source>
        <translation>
            <numerusform>etwa %n Stunde</numerusform>
            <numerusform>etwa %n Stunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n day(s)</source>
        <translation>
            <numerusform>etwa %n Tag</numerusform>
            <numerusform>etwa %n Tage</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>probably no messages</source>
        <translation>wahrscheinlich keine Nachrichten</translation>
    </message>
    <message>
        <source>no messages</source>
        <translation>keine Nachrichten</translation>
    </message>
    <message numerus="yes">
        <source>about %Ln message(s)</source>
        <translation>
            <numerusform>etwa %Ln Nachricht</numerusform>
            <numerusform>etwa %Ln Nachrichten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>≈ %Ln message(s)</source>
        <translation>
            <numerusform>≈ %Ln Nachricht</numerusform>
            <numerusform>≈ %Ln Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Wird gezählt…</translation>
    </message>
    <message>
        <source>Estimated from the counts for 30, 90 and 365 days</source>
        <translation>Geschätzt anhand der Zählungen für 30, 90 und 365 Tage</translation>
    </message>
    <message>
        <source>Counting the messages in Inbox and Sent on the server…</source>
        <translation>Die Nachrichten in Posteingang und Gesendet werden auf dem Server gezählt…</translation>
    </message>
    <message>
        <source>The messages could not be counted, so the sizes are unknown. You can still choose.
%1</source>
        <translation>Die Nachrichten konnten nicht gezählt werden, daher sind die Mengen unbekannt. Sie können trotzdem wählen.
%1</translation>
    </message>
    <message>
        <source>Counted on the server, Inbox and Sent together. Times are estimated from a download measured just now.</source>
        <translation>Auf dem Server gezählt, Posteingang und Gesendet zusammen. Die Zeiten sind anhand eines soeben gemessenen Downloads geschätzt.</translation>
    </message>
    <message>
        <source>Counted on the server, Inbox and Sent together. The download speed could not be measured, so no times are shown.</source>
        <translation>Auf dem Server gezählt, Posteingang und Gesendet zusammen. Die Download-Geschwindigkeit konnte nicht gemessen werden, daher werden keine Zeiten angezeigt.</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::SearchWorker</name>
    <message>
        <source>The archive cannot be searched: %1</source>
        <translation>Das Archiv kann nicht durchsucht werden: %1</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::SharedMailboxDialog</name>
    <message>
        <source>Add shared mailbox</source>
        <translation>Freigegebenes Postfach hinzufügen</translation>
    </message>
    <message>
        <source>A mailbox someone shares with %1, such as a team's support address. Lookback reads it with the sign-in of “%2”, so there is nothing more to sign in to; its owner must have shared Inbox and Sent Items with you.</source>
        <translation>Ein Postfach, das jemand für %1 freigibt, etwa die Support-Adresse eines Teams. Lookback liest es mit der Anmeldung von „%2“, eine weitere Anmeldung ist also nicht nötig; der Besitzer des Postfachs muss Ihnen Posteingang und Gesendete Elemente freigegeben haben.</translation>
    </message>
    <message>
        <source>support@example.com</source>
        <translation>support@example.com</translation>
    </message>
    <message>
        <source>Shared mailbox address</source>
        <translation>Adresse des freigegebenen Postfachs</translation>
    </message>
    <message>
        <source>Add&amp;ress:</source>
        <translation>Adr&amp;esse:</translation>
    </message>
    <message>
        <source>Connection name</source>
        <translation>Name der Verbindung</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::SyncLogDialog</name>
    <message>
        <source>Sync log — %1</source>
        <translation>Synchronisierungsprotokoll – %1</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>The sync log cannot be read: %1</source>
        <translation>Das Synchronisierungsprotokoll kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No syncs yet.</source>
        <translation>Noch keine Synchronisierungen.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln run(s), newest first.</source>
        <translation>
            <numerusform>%Ln Durchlauf, neueste zuerst.</numerusform>
            <numerusform>%Ln Durchläufe, neueste zuerst.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::SyncRunModel</name>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Backfill</source>
        <translation>Verlaufsabruf</translation>
    </message>
    <message>
        <source>Live sync</source>
        <translation>Live-Synchronisierung</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Not ended</source>
        <translation>Nicht beendet</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Fetched</source>
        <translation>Abgerufen</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>OAuthConfig</name>
    <message>
        <source>Not a valid address: %1</source>
        <translation>Keine gültige Adresse: %1</translation>
    </message>
    <message>
        <source>%1 must use https (plain http is allowed only to this computer)</source>
        <translation>%1 muss https verwenden (einfaches http ist nur zu diesem Computer erlaubt)</translation>
    </message>
    <message>
        <source>No Google client id: pass --client-id or set LOOKBACK_GOOGLE_CLIENT_ID (see the README on registering a desktop client)</source>
        <translation>Keine Google-Client-ID: --client-id angeben oder LOOKBACK_GOOGLE_CLIENT_ID setzen (die README erklärt, wie man einen Desktop-Client registriert)</translation>
    </message>
    <message>
        <source>No Microsoft client id: pass --client-id or set LOOKBACK_MICROSOFT_CLIENT_ID (see the README on registering an app)</source>
        <translation>Keine Microsoft-Client-ID: --client-id angeben oder LOOKBACK_MICROSOFT_CLIENT_ID setzen (die README erklärt, wie man eine App registriert)</translation>
    </message>
    <message>
        <source>The sign-in has no client id: reconnect</source>
        <translation>Die Anmeldung hat keine Client-ID: neu verbinden</translation>
    </message>
</context>
<context>
    <name>OAuthToken</name>
    <message>
        <source>the sign-in expired after a long time unused</source>
        <translation>die Anmeldung ist nach langer Nichtbenutzung abgelaufen</translation>
    </message>
    <message>
        <source>the sign-in was revoked; the password may have changed</source>
        <translation>die Anmeldung wurde widerrufen; vielleicht wurde das Passwort geändert</translation>
    </message>
    <message>
        <source>Microsoft asks for multi-factor authentication</source>
        <translation>Microsoft verlangt eine Mehrfaktor-Authentifizierung</translation>
    </message>
    <message>
        <source>Lookback needs your consent again</source>
        <translation>Lookback braucht erneut Ihre Zustimmung</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>The keychain is locked or refused access: %1</source>
        <translation>Der Schlüsselbund ist gesperrt oder hat den Zugriff verweigert: %1</translation>
    </message>
    <message>
        <source>No usable keychain (Secret Service): %1</source>
        <translation>Kein nutzbarer Schlüsselbund (Secret Service): %1</translation>
    </message>
    <message>
        <source>No password is stored for this connection</source>
        <translation>Für diese Verbindung ist kein Passwort gespeichert</translation>
    </message>
    <message>
        <source>This connection has no sign-in</source>
        <translation>Diese Verbindung hat keine Anmeldung</translation>
    </message>
    <message>
        <source>Lookback cannot sync %1 connections yet</source>
        <translation>Lookback kann %1-Verbindungen noch nicht abgleichen</translation>
    </message>
    <message>
        <source>No counts for this kind of connection</source>
        <translation>Für diese Art von Verbindung gibt es keine Zählung</translation>
    </message>
    <message>
        <source>This kind of connection does not sign in with a browser</source>
        <translation>Diese Art von Verbindung meldet sich nicht über einen Browser an</translation>
    </message>
</context>
<context>
    <name>RangeCounter</name>
    <message>
        <source>This connection has no sign-in</source>
        <translation>Diese Verbindung hat keine Anmeldung</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Your mailbox's history, on your own computer.</source>
        <translation>Der Verlauf Ihres Postfachs – auf Ihrem eigenen Computer.</translation>
    </message>
    <message>
        <source>Keep the archive in DIR.</source>
        <translation>Das Archiv in DIR ablegen.</translation>
    </message>
</context>
</TS>
