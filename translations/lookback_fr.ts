<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Gmail</name>
    <message>
        <source>Cannot reach Gmail</source>
        <translation>Impossible de joindre Gmail</translation>
    </message>
    <message>
        <source>Gmail did not say whose mailbox this is</source>
        <translation>Gmail n’a pas dit à qui appartient cette boîte aux lettres</translation>
    </message>
    <message>
        <source>A message without a usable id</source>
        <translation>Un message sans identifiant utilisable</translation>
    </message>
    <message>
        <source>Gmail sent message %1 without its content</source>
        <translation>Gmail a envoyé le message %1 sans son contenu</translation>
    </message>
    <message>
        <source>Gmail sent message %1 without its date</source>
        <translation>Gmail a envoyé le message %1 sans sa date</translation>
    </message>
</context>
<context>
    <name>Graph</name>
    <message>
        <source>A message without a usable id</source>
        <translation>Un message sans identifiant utilisable</translation>
    </message>
    <message>
        <source>Microsoft Graph sent message %1 without its date</source>
        <translation>Microsoft Graph a envoyé le message %1 sans sa date</translation>
    </message>
    <message>
        <source>attachment</source>
        <translation>pièce jointe</translation>
    </message>
</context>
<context>
    <name>Lookback::ArchiveWriter</name>
    <message>
        <source>Not written: an earlier page could not be stored</source>
        <translation>Non écrit : une page précédente n’a pas pu être enregistrée</translation>
    </message>
    <message>
        <source>The archive is not open</source>
        <translation>L’archive n’est pas ouverte</translation>
    </message>
</context>
<context>
    <name>Lookback::Gmail</name>
    <message>
        <source>Google refused the sign-in (%1)</source>
        <translation>Google a refusé l’identification (%1)</translation>
    </message>
    <message>
        <source>HTTP 401</source>
        <translation>HTTP 401</translation>
    </message>
    <message>
        <source>Gmail asked Lookback to slow down</source>
        <translation>Gmail a demandé à Lookback de ralentir</translation>
    </message>
    <message>
        <source>Gmail's daily limit for this account is used up</source>
        <translation>La limite quotidienne de Gmail pour ce compte est épuisée</translation>
    </message>
    <message>
        <source>Gmail no longer lets Lookback read this mailbox (%1)</source>
        <translation>Gmail ne laisse plus Lookback lire cette boîte aux lettres (%1)</translation>
    </message>
    <message>
        <source>Gmail is not answering (HTTP %1)</source>
        <translation>Gmail ne répond pas (HTTP %1)</translation>
    </message>
    <message>
        <source>Gmail refused a request (HTTP %1: %2)</source>
        <translation>Gmail a refusé une requête (HTTP %1 : %2)</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>sans raison donnée</translation>
    </message>
    <message>
        <source>Gmail's batch answer has no boundary</source>
        <translation>La réponse groupée de Gmail n’a pas de délimiteur</translation>
    </message>
    <message>
        <source>Gmail's batch answer has %1 parts for %2 requests</source>
        <translation>La réponse groupée de Gmail a %1 parties pour %2 requêtes</translation>
    </message>
    <message>
        <source>Lost the connection to Gmail: %1</source>
        <translation>Connexion à Gmail perdue : %1</translation>
    </message>
</context>
<context>
    <name>Lookback::GmailSource</name>
    <message>
        <source>Cannot reach Gmail: %1</source>
        <translation>Impossible de joindre Gmail : %1</translation>
    </message>
    <message>
        <source>This connection has no sign-in</source>
        <translation>Cette connexion n’a pas d’identification</translation>
    </message>
    <message>
        <source>That folder was not planned</source>
        <translation>Ce dossier n’était pas prévu</translation>
    </message>
    <message>
        <source>Gmail answered with another message than the one asked for</source>
        <translation>Gmail a répondu avec un autre message que celui demandé</translation>
    </message>
    <message>
        <source>Gmail refused the access token</source>
        <translation>Gmail a refusé le jeton d’accès</translation>
    </message>
    <message>
        <source>Gmail asked Lookback to slow down</source>
        <translation>Gmail a demandé à Lookback de ralentir</translation>
    </message>
</context>
<context>
    <name>Lookback::Graph</name>
    <message>
        <source>Microsoft did not say whose mailbox this is</source>
        <translation>Microsoft n’a pas dit à qui appartient cette boîte aux lettres</translation>
    </message>
    <message>
        <source>Microsoft refused the sign-in (%1)</source>
        <translation>Microsoft a refusé l’identification (%1)</translation>
    </message>
    <message>
        <source>HTTP 401</source>
        <translation>HTTP 401</translation>
    </message>
    <message>
        <source>Microsoft no longer lets Lookback read this mailbox (%1)</source>
        <translation>Microsoft ne laisse plus Lookback lire cette boîte aux lettres (%1)</translation>
    </message>
    <message>
        <source>HTTP 403</source>
        <translation>HTTP 403</translation>
    </message>
    <message>
        <source>Microsoft asked Lookback to slow down</source>
        <translation>Microsoft a demandé à Lookback de ralentir</translation>
    </message>
    <message>
        <source>Cannot reach Microsoft Graph: %1</source>
        <translation>Impossible de joindre Microsoft Graph : %1</translation>
    </message>
    <message>
        <source>Microsoft Graph is not answering (HTTP %1)</source>
        <translation>Microsoft Graph ne répond pas (HTTP %1)</translation>
    </message>
    <message>
        <source>Microsoft Graph does not know that mailbox or folder (%1)</source>
        <translation>Microsoft Graph ne connaît pas cette boîte aux lettres ou ce dossier (%1)</translation>
    </message>
    <message>
        <source>HTTP 404</source>
        <translation>HTTP 404</translation>
    </message>
    <message>
        <source>Microsoft Graph refused a request (HTTP %1: %2)</source>
        <translation>Microsoft Graph a refusé une requête (HTTP %1 : %2)</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>sans raison donnée</translation>
    </message>
</context>
<context>
    <name>Lookback::GraphApi</name>
    <message>
        <source>Microsoft Graph pointed Lookback at another server (%1); refused</source>
        <translation>Microsoft Graph a renvoyé Lookback vers un autre serveur (%1) ; refusé</translation>
    </message>
</context>
<context>
    <name>Lookback::GraphSource</name>
    <message>
        <source>This connection has no sign-in</source>
        <translation>Cette connexion n’a pas d’identification</translation>
    </message>
    <message>
        <source>Microsoft Graph sent a message list without messages</source>
        <translation>Microsoft Graph a envoyé une liste de messages sans aucun message</translation>
    </message>
    <message>
        <source>That folder was not planned</source>
        <translation>Ce dossier n’était pas prévu</translation>
    </message>
</context>
<context>
    <name>Lookback::ImapConnection</name>
    <message>
        <source>The certificate of %1 is not trusted (%2). SHA-256 fingerprint: %3</source>
        <translation>Le certificat de %1 n’est pas approuvé (%2). Empreinte SHA-256 : %3</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <source>TLS with %1 failed: %2</source>
        <translation>Échec de TLS avec %1 : %2</translation>
    </message>
    <message>
        <source>Cannot reach %1 port %2: %3</source>
        <translation>Impossible de joindre %1 sur le port %2 : %3</translation>
    </message>
    <message>
        <source>%1 stopped answering (no reply for %2 seconds)</source>
        <translation>%1 ne répond plus (aucune réponse depuis %2 secondes)</translation>
    </message>
    <message>
        <source>%1 sent a reply Lookback cannot read: %2</source>
        <translation>%1 a envoyé une réponse que Lookback ne sait pas lire : %2</translation>
    </message>
    <message>
        <source>%1 answered a command that was never sent</source>
        <translation>%1 a répondu à une commande qui n’a jamais été envoyée</translation>
    </message>
    <message>
        <source>%1 refused the connection: %2</source>
        <translation>%1 a refusé la connexion : %2</translation>
    </message>
    <message>
        <source>%1 ended the session: %2</source>
        <translation>%1 a mis fin à la session : %2</translation>
    </message>
    <message>
        <source>%1 does not offer STARTTLS: %2</source>
        <translation>%1 ne propose pas STARTTLS : %2</translation>
    </message>
    <message>
        <source>%1 did not list its capabilities: %2</source>
        <translation>%1 n’a pas indiqué ses capacités : %2</translation>
    </message>
    <message>
        <source>%1 offers no way to log in that Lookback supports</source>
        <translation>%1 ne propose aucune méthode d’identification prise en charge par Lookback</translation>
    </message>
    <message>
        <source>%1 cannot log in right now: %2</source>
        <translation>%1 n’accepte pas d’identification pour le moment : %2</translation>
    </message>
    <message>
        <source>%1 rejected the login for %2: %3</source>
        <translation>%1 a refusé l’identification de %2 : %3</translation>
    </message>
    <message>
        <source>Not connected to %1</source>
        <translation>Non connecté à %1</translation>
    </message>
    <message>
        <source>Connection closed</source>
        <translation>Connexion fermée</translation>
    </message>
    <message>
        <source>The connection to %1 dropped after %2</source>
        <translation>La connexion à %1 a été coupée après %2</translation>
    </message>
    <message>
        <source>The connection to %1 dropped after %2 (%3)</source>
        <translation>La connexion à %1 a été coupée après %2 (%3)</translation>
    </message>
    <message>
        <source>%1 is answering too slowly (%2 in %3 seconds for one command)</source>
        <translation>%1 répond trop lentement (%2 en %3 secondes pour une commande)</translation>
    </message>
    <message>
        <source>%1 skipped the login (PREAUTH) before STARTTLS could encrypt the connection; Lookback does not continue unencrypted</source>
        <translation>%1 a sauté la connexion (PREAUTH) avant que STARTTLS ne chiffre la liaison ; Lookback ne continue pas sans chiffrement</translation>
    </message>
    <message>
        <source>%1 sent more than %2 responses to one command</source>
        <translation>%1 a envoyé plus de %2 réponses à une seule commande</translation>
    </message>
    <message>
        <source>%1 sent unencrypted data after agreeing to STARTTLS</source>
        <translation>%1 a envoyé des données non chiffrées après avoir accepté STARTTLS</translation>
    </message>
</context>
<context>
    <name>Lookback::ImapSource</name>
    <message>
        <source>Cannot open the folder %1: %2</source>
        <translation>Impossible d’ouvrir le dossier %1 : %2</translation>
    </message>
    <message>
        <source>The server renumbered %1; starting that folder again</source>
        <translation>Le serveur a renuméroté %1 ; ce dossier est repris depuis le début</translation>
    </message>
    <message>
        <source>This connection has no sign-in</source>
        <translation>Cette connexion n’a pas d’identification</translation>
    </message>
    <message>
        <source>the server refused it: %1</source>
        <translation>le serveur l’a refusé : %1</translation>
    </message>
    <message>
        <source>the server sent no structure for it</source>
        <translation>le serveur n’en a pas envoyé la structure</translation>
    </message>
    <message>
        <source>the server sent no headers for it</source>
        <translation>le serveur n’en a pas envoyé les en-têtes</translation>
    </message>
    <message>
        <source>the server did not send all of it</source>
        <translation>le serveur ne l’a pas envoyé en entier</translation>
    </message>
</context>
<context>
    <name>Lookback::OAuthBrowserFlow</name>
    <message>
        <source>You did not allow Lookback to read your mail at %1.</source>
        <translation>Vous n’avez pas autorisé Lookback à lire votre courrier chez %1.</translation>
    </message>
    <message>
        <source>%1 refused the sign-in: %2</source>
        <translation>%1 a refusé l’identification : %2</translation>
    </message>
    <message numerus="yes">
        <source>Gave up waiting for the browser after %n minute(s)</source>
        <translation>
            <numerusform>Abandon de l’attente du navigateur après %n minute</numerusform>
            <numerusform>Abandon de l’attente du navigateur après %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot listen on 127.0.0.1 for the browser's answer</source>
        <translation>Impossible d’écouter sur 127.0.0.1 la réponse du navigateur</translation>
    </message>
    <message>
        <source>Lookback is signed in. You can close this tab and go back to Lookback.</source>
        <translation>Lookback est connecté. Vous pouvez fermer cet onglet et revenir à Lookback.</translation>
    </message>
    <message>
        <source>The browser's answer does not belong to this sign-in; try again</source>
        <translation>La réponse du navigateur ne correspond pas à cette identification ; réessayez</translation>
    </message>
    <message>
        <source>Sign-in cancelled</source>
        <translation>Identification annulée</translation>
    </message>
    <message>
        <source>Cannot reach %1's sign-in server: %2</source>
        <translation>Impossible de joindre le serveur d’identification de %1 : %2</translation>
    </message>
    <message>
        <source>%1 gave no refresh token, so Lookback could not stay signed in</source>
        <translation>%1 n’a fourni aucun jeton de renouvellement : Lookback ne peut pas rester connecté</translation>
    </message>
</context>
<context>
    <name>Lookback::OAuthSignIn</name>
    <message>
        <source>The sign-in in the keychain is unreadable: reconnect</source>
        <translation>L’identification dans le trousseau est illisible : reconnectez-vous</translation>
    </message>
</context>
<context>
    <name>Lookback::OAuthToken</name>
    <message>
        <source>The sign-in server is not answering (HTTP %1)</source>
        <translation>Le serveur d’identification ne répond pas (HTTP %1)</translation>
    </message>
    <message>
        <source>Microsoft ended Lookback's sign-in. %1</source>
        <translation>Microsoft a mis fin à l’identification de Lookback. %1</translation>
    </message>
    <message>
        <source>Google ended Lookback's sign-in. %1</source>
        <translation>Google a mis fin à l’identification de Lookback. %1</translation>
    </message>
    <message>
        <source>The sign-in server refused Lookback's client id or secret (%1)</source>
        <translation>Le serveur d’identification a refusé l’identifiant ou le secret client de Lookback (%1)</translation>
    </message>
    <message>
        <source>The sign-in server refused (HTTP %1: %2)</source>
        <translation>Le serveur d’identification a refusé (HTTP %1 : %2)</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>sans raison donnée</translation>
    </message>
    <message>
        <source>Cannot reach the sign-in server: %1</source>
        <translation>Impossible de joindre le serveur d’identification : %1</translation>
    </message>
    <message>
        <source>The sign-in server's answer has no access token</source>
        <translation>La réponse du serveur d’identification ne contient pas de jeton d’accès</translation>
    </message>
</context>
<context>
    <name>Lookback::ProbeWorker</name>
    <message>
        <source>No server name was given</source>
        <translation>Aucun nom de serveur n’a été indiqué</translation>
    </message>
    <message>
        <source>No port was given</source>
        <translation>Aucun port n’a été indiqué</translation>
    </message>
    <message>
        <source>%1 lists no Inbox for %2</source>
        <translation>%1 n’indique aucune boîte de réception pour %2</translation>
    </message>
    <message>
        <source>No Sent folder found on %1: no folder is marked as Sent and none is called %2</source>
        <translation>Aucun dossier Envoyés trouvé sur %1 : aucun dossier n’est marqué comme Envoyés et aucun ne porte l’un de ces noms : %2</translation>
    </message>
    <message>
        <source>%1 has neither an Inbox nor a Sent folder to count</source>
        <translation>%1 n’a ni boîte de réception ni dossier Envoyés à compter</translation>
    </message>
    <message>
        <source>Cannot open the folder %1: %2</source>
        <translation>Impossible d’ouvrir le dossier %1 : %2</translation>
    </message>
</context>
<context>
    <name>Lookback::SecretStore</name>
    <message>
        <source>The secret is too large for the keychain</source>
        <translation>Les données secrètes sont trop volumineuses pour le trousseau</translation>
    </message>
    <message>
        <source>The secret in the keychain is incomplete</source>
        <translation>Le secret dans le trousseau est incomplet</translation>
    </message>
    <message>
        <source>The secret in the keychain is damaged</source>
        <translation>Le secret dans le trousseau est endommagé</translation>
    </message>
</context>
<context>
    <name>Lookback::SyncService</name>
    <message>
        <source>A connection named "%1" already exists</source>
        <translation>Une connexion nommée « %1 » existe déjà</translation>
    </message>
    <message>
        <source>This kind of connection does not use a password</source>
        <translation>Ce type de connexion n’utilise pas de mot de passe</translation>
    </message>
    <message>
        <source>Disconnected: the sign-in was removed from the keychain</source>
        <translation>Déconnecté : l’identification a été retirée du trousseau</translation>
    </message>
    <message>
        <source>No such connection</source>
        <translation>Cette connexion n’existe pas</translation>
    </message>
    <message>
        <source>This connection does not sign in with a browser</source>
        <translation>Cette connexion ne s’identifie pas par un navigateur</translation>
    </message>
    <message>
        <source>Sign-in cancelled</source>
        <translation>Identification annulée</translation>
    </message>
    <message>
        <source>That connection is gone</source>
        <translation>Cette connexion n’existe plus</translation>
    </message>
    <message>
        <source>You signed in as %1, but this connection is %2: sign in with %2</source>
        <translation>Vous vous êtes identifié comme %1, mais cette connexion est %2 : identifiez-vous avec %2</translation>
    </message>
    <message>
        <source>Shared mailboxes can be added only under a Microsoft 365 connection</source>
        <translation>Les boîtes aux lettres partagées ne peuvent être ajoutées que sous une connexion Microsoft 365</translation>
    </message>
    <message>
        <source>"%1" is not a mailbox address (like support@example.com)</source>
        <translation>« %1 » n’est pas une adresse de boîte aux lettres (comme support@example.com)</translation>
    </message>
    <message>
        <source>That is %1's own mailbox</source>
        <translation>C’est la propre boîte aux lettres de %1</translation>
    </message>
    <message>
        <source>%1 is already added as "%2"</source>
        <translation>%1 figure déjà sous le nom « %2 »</translation>
    </message>
</context>
<context>
    <name>Lookback::SyncTask</name>
    <message>
        <source>No archive writer</source>
        <translation>Aucun rédacteur pour l’archive</translation>
    </message>
    <message>
        <source>No such connection</source>
        <translation>Cette connexion n’existe pas</translation>
    </message>
    <message>
        <source>Replaced by a backfill of another range</source>
        <translation>Remplacé par une récupération d’une autre période</translation>
    </message>
    <message>
        <source>all mail</source>
        <translation>tout le courrier</translation>
    </message>
    <message>
        <source>the last day</source>
        <translation>le dernier jour</translation>
    </message>
    <message>
        <source>the last %1 days</source>
        <translation>les %1 derniers jours</translation>
    </message>
    <message>
        <source>Sync complete — 1 message from %1</source>
        <translation>Synchronisation terminée — 1 message sur %1</translation>
    </message>
    <message>
        <source>Sync complete — %1 messages from %2</source>
        <translation>Synchronisation terminée — %1 messages sur %2</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>À jour</translation>
    </message>
    <message>
        <source>Up to date — 1 new message</source>
        <translation>À jour — 1 nouveau message</translation>
    </message>
    <message>
        <source>Up to date — %1 new messages</source>
        <translation>À jour — %1 nouveaux messages</translation>
    </message>
    <message>
        <source>; 1 message could not be read</source>
        <translation>; 1 message n’a pas pu être lu</translation>
    </message>
    <message>
        <source>; %1 messages could not be read</source>
        <translation>; %1 messages n’ont pas pu être lus</translation>
    </message>
    <message>
        <source>Paused after %1 messages</source>
        <translation>En pause après %1 messages</translation>
    </message>
    <message>
        <source>Cancelled — %1 messages kept</source>
        <translation>Annulé — %1 messages conservés</translation>
    </message>
    <message>
        <source>%1, %2 times in a row</source>
        <translation>%1, %2 fois de suite</translation>
    </message>
    <message>
        <source>the personal connection</source>
        <translation>la connexion personnelle</translation>
    </message>
    <message>
        <source>Waiting on %1 — reconnect it</source>
        <translation>En attente de %1 — reconnectez-la</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::AddConnectionDialog</name>
    <message>
        <source>Add a connection</source>
        <translation>Ajouter une connexion</translation>
    </message>
    <message>
        <source>Where is your mail?</source>
        <translation>Où se trouve votre courrier ?</translation>
    </message>
    <message>
        <source>&amp;IMAP mail server</source>
        <translation>Serveur de messagerie &amp;IMAP</translation>
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
        <translation>Par exemple : Courrier pro</translation>
    </message>
    <message>
        <source>Connection name</source>
        <translation>Nom de la connexion</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>imap.example.com</source>
        <translation>imap.example.com</translation>
    </message>
    <message>
        <source>IMAP server</source>
        <translation>Serveur IMAP</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Serveur :</translation>
    </message>
    <message>
        <source>TLS (recommended)</source>
        <translation>TLS (recommandé)</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>None (unencrypted)</source>
        <translation>Aucun (non chiffré)</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Chiffrement</translation>
    </message>
    <message>
        <source>&amp;Encryption:</source>
        <translation>&amp;Chiffrement :</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port :</translation>
    </message>
    <message>
        <source>Without encryption, your password and your mail cross the network as plain text: anyone along the way can read them. Use this only on a network you control.</source>
        <translation>Sans chiffrement, votre mot de passe et vos messages circulent en clair sur le réseau : n’importe qui sur le trajet peut les lire. N’utilisez cette option que sur un réseau que vous contrôlez.</translation>
    </message>
    <message>
        <source>I &amp;understand: send my password unencrypted</source>
        <translation>J’ai compris : envoyer mon mot de passe &amp;en clair</translation>
    </message>
    <message>
        <source>Usually your email address</source>
        <translation>Généralement votre adresse e-mail</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Nom d’utilisateur</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>Nom d’&amp;utilisateur :</translation>
    </message>
    <message>
        <source>Password or app password</source>
        <translation>Mot de passe ou mot de passe d’application</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Mot &amp;de passe :</translation>
    </message>
    <message>
        <source>Your password, or an app password if your provider uses two-step verification. It is kept in the system keychain.</source>
        <translation>Votre mot de passe, ou un mot de passe d’application si votre fournisseur utilise la validation en deux étapes. Il est conservé dans le trousseau du système.</translation>
    </message>
    <message>
        <source>Gmail accepts IMAP sign-in only with an app password: Google Account › Security › 2-Step Verification › App passwords.</source>
        <translation>Gmail n’accepte l’identification IMAP qu’avec un mot de passe d’application : Compte Google › Sécurité › Validation en deux étapes › Mots de passe des applications.</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Tester la connexion</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint of the server's certificate</source>
        <translation>Empreinte SHA-256 du certificat du serveur</translation>
    </message>
    <message>
        <source>T&amp;rust this certificate</source>
        <translation>&amp;Faire confiance à ce certificat</translation>
    </message>
    <message>
        <source>C&amp;onnect</source>
        <translation>Se c&amp;onnecter</translation>
    </message>
    <message>
        <source>Gmail</source>
        <translation>Gmail</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Test en cours…</translation>
    </message>
    <message>
        <source>Testing the connection to %1…</source>
        <translation>Test de la connexion à %1…</translation>
    </message>
    <message>
        <source>Connecting, checking the certificate, signing in and looking for Inbox and Sent.</source>
        <translation>Connexion, vérification du certificat, identification et recherche de la boîte de réception et des Envoyés.</translation>
    </message>
    <message>
        <source>Signed in as %1. Lookback will archive the Inbox “%2” and the Sent folder “%3”.</source>
        <translation>Identifié en tant que %1. Lookback archivera la boîte de réception « %2 » et le dossier Envoyés « %3 ».</translation>
    </message>
    <message>
        <source>Connection works</source>
        <translation>La connexion fonctionne</translation>
    </message>
    <message>
        <source>Using the certificate you trusted:
%1</source>
        <translation>Utilisation du certificat que vous avez approuvé :
%1</translation>
    </message>
    <message>
        <source>Cannot reach the server</source>
        <translation>Impossible de joindre le serveur</translation>
    </message>
    <message>
        <source>Lookback could not talk to %1 on port %2. Check the server name and the port, and that this computer is online.</source>
        <translation>Lookback n’a pas pu communiquer avec %1 sur le port %2. Vérifiez le nom du serveur et le port, et que cet ordinateur est bien en ligne.</translation>
    </message>
    <message>
        <source>The server's certificate is not trusted</source>
        <translation>Le certificat du serveur n’est pas approuvé</translation>
    </message>
    <message>
        <source>Lookback cannot confirm who is answering at %1. A server with a certificate of its own looks like this, and so would someone intercepting the connection. Compare this SHA-256 fingerprint with the one the server's administrator gives you, and trust it only if they match:</source>
        <translation>Lookback ne peut pas confirmer qui répond à l’adresse %1. Un serveur doté de son propre certificat se présente ainsi, mais ce serait aussi le cas de quelqu’un qui intercepte la connexion. Comparez cette empreinte SHA-256 avec celle que vous fournit l’administrateur du serveur, et ne l’approuvez que si elles correspondent :</translation>
    </message>
    <message>
        <source>A secure connection could not be set up</source>
        <translation>Impossible d’établir une connexion sécurisée</translation>
    </message>
    <message>
        <source>Check the encryption and the port: TLS usually uses port 993, STARTTLS port 143.</source>
        <translation>Vérifiez le chiffrement et le port : TLS utilise généralement le port 993, STARTTLS le port 143.</translation>
    </message>
    <message>
        <source>Login rejected</source>
        <translation>Identification refusée</translation>
    </message>
    <message>
        <source>%1 did not accept this username and password. Many providers want an app password here when two-step verification is on.</source>
        <translation>%1 n’a pas accepté ce nom d’utilisateur et ce mot de passe. De nombreux fournisseurs exigent ici un mot de passe d’application lorsque la validation en deux étapes est activée.</translation>
    </message>
    <message>
        <source>No Inbox found</source>
        <translation>Aucune boîte de réception trouvée</translation>
    </message>
    <message>
        <source>The login worked, but the server shows no Inbox for this account.</source>
        <translation>L’identification a réussi, mais le serveur n’affiche aucune boîte de réception pour ce compte.</translation>
    </message>
    <message>
        <source>No Sent folder found</source>
        <translation>Aucun dossier Envoyés trouvé</translation>
    </message>
    <message>
        <source>The login worked and the Inbox is “%1”, but no folder is marked as Sent mail. Lookback archives Inbox and Sent together.</source>
        <translation>L’identification a réussi et la boîte de réception est « %1 », mais aucun dossier n’est marqué comme dossier des messages envoyés. Lookback archive la boîte de réception et les Envoyés ensemble.</translation>
    </message>
    <message>
        <source>This server cannot be used as set up</source>
        <translation>Ce serveur ne peut pas être utilisé avec ces réglages</translation>
    </message>
    <message>
        <source>The test failed</source>
        <translation>Le test a échoué</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>Détails : %1</translation>
    </message>
    <message>
        <source>Lookback opens Google's sign-in page in your web browser. You sign in there (Lookback never sees your password) and allow it to read your mail. It asks for nothing more: it cannot send, change or delete anything.</source>
        <translation>Lookback ouvre la page d’identification de Google dans votre navigateur. Vous vous y identifiez (Lookback ne voit jamais votre mot de passe) et l’autorisez à lire votre courrier. Il ne demande rien de plus : il ne peut rien envoyer, modifier ni supprimer.</translation>
    </message>
    <message>
        <source>N&amp;ame:</source>
        <translation>N&amp;om :</translation>
    </message>
    <message>
        <source>Google needs to know which program is asking. Create a “Desktop app” OAuth client in the Google Cloud console (with the Gmail API and the gmail.readonly scope) and enter its ID and secret here, or set LOOKBACK_GOOGLE_CLIENT_ID and LOOKBACK_GOOGLE_CLIENT_SECRET. The README explains each step.</source>
        <translation>Google doit savoir quel programme demande l’accès. Créez un client OAuth « Application de bureau » dans la console Google Cloud (avec l’API Gmail et la portée gmail.readonly) et saisissez ici son identifiant et son secret, ou définissez LOOKBACK_GOOGLE_CLIENT_ID et LOOKBACK_GOOGLE_CLIENT_SECRET. Le README explique chaque étape.</translation>
    </message>
    <message>
        <source>…apps.googleusercontent.com</source>
        <translation>…apps.googleusercontent.com</translation>
    </message>
    <message>
        <source>OAuth client ID</source>
        <translation>Identifiant du client OAuth</translation>
    </message>
    <message>
        <source>Client &amp;ID:</source>
        <translation>&amp;Identifiant client :</translation>
    </message>
    <message>
        <source>OAuth client secret</source>
        <translation>Secret du client OAuth</translation>
    </message>
    <message>
        <source>Client &amp;secret:</source>
        <translation>&amp;Secret client :</translation>
    </message>
    <message>
        <source>Set up Gmail over IMAP with an app password instead</source>
        <translation>Configurer plutôt Gmail en IMAP avec un mot de passe d’application</translation>
    </message>
    <message>
        <source>C&amp;ontinue in your browser…</source>
        <translation>C&amp;ontinuer dans le navigateur…</translation>
    </message>
    <message>
        <source>Lookback opens Microsoft's sign-in page in your web browser. You sign in there (Lookback never sees your password) and allow it to read your mail and the mailboxes shared with you. It cannot send, change or delete anything. Shared mailboxes are added afterwards, from this connection's card.</source>
        <translation>Lookback ouvre la page d’identification de Microsoft dans votre navigateur. Vous vous y identifiez (Lookback ne voit jamais votre mot de passe) et l’autorisez à lire votre courrier et les boîtes aux lettres partagées avec vous. Il ne peut rien envoyer, modifier ni supprimer. Les boîtes aux lettres partagées s’ajoutent ensuite depuis la carte de cette connexion.</translation>
    </message>
    <message>
        <source>Microsoft 365</source>
        <translation>Microsoft 365</translation>
    </message>
    <message>
        <source>Microsoft needs to know which program is asking. Register an application in the Microsoft Entra admin center (a public client with the “Mobile and desktop applications” platform and the redirect URI http://127.0.0.1) and enter its application (client) ID here, or set LOOKBACK_MICROSOFT_CLIENT_ID. The README explains each step.</source>
        <translation>Microsoft doit savoir quel programme demande l’accès. Inscrivez une application dans le centre d’administration Microsoft Entra (un client public avec la plateforme « Applications mobiles et de bureau » et l’URI de redirection http://127.0.0.1) et saisissez ici son identifiant d’application (client), ou définissez LOOKBACK_MICROSOFT_CLIENT_ID. Le README explique chaque étape.</translation>
    </message>
    <message>
        <source>00000000-0000-0000-0000-000000000000</source>
        <translation>00000000-0000-0000-0000-000000000000</translation>
    </message>
    <message>
        <source>Application (client) ID</source>
        <translation>Identifiant d’application (client)</translation>
    </message>
    <message>
        <source>Application I&amp;D:</source>
        <translation>I&amp;dentifiant d’application :</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::ArchiveBrowser</name>
    <message>
        <source> — %1</source>
        <extracomment>Between a message's subject and the start of its text in the message list</extracomment>
        <translation> — %1</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Dossiers</translation>
    </message>
    <message>
        <source>Search the archive</source>
        <translation>Rechercher dans l’archive</translation>
    </message>
    <message>
        <source>&lt;p&gt;Words are looked up anywhere in a message, also as the start of a word.&lt;/p&gt;&lt;p&gt;&lt;b&gt;from:&lt;/b&gt;bob &amp;nbsp; who sent it&lt;br&gt;&lt;b&gt;to:&lt;/b&gt;alice &amp;nbsp; who received it (To or Cc)&lt;br&gt;&lt;b&gt;subject:&lt;/b&gt;invoice &amp;nbsp; words in the subject&lt;br&gt;&lt;b&gt;after:&lt;/b&gt;2024-01-31 &amp;nbsp; received on or after that day&lt;br&gt;&lt;b&gt;before:&lt;/b&gt;2024-03-01 &amp;nbsp; received before that day&lt;br&gt;&lt;b&gt;in:&lt;/b&gt;inbox or &lt;b&gt;in:&lt;/b&gt;sent &amp;nbsp; one folder&lt;/p&gt;&lt;p&gt;Quotes keep a phrase together: "quarterly report"&lt;/p&gt;</source>
        <translation>&lt;p&gt;Les mots sont recherchés partout dans un message, y compris comme début de mot.&lt;/p&gt;&lt;p&gt;&lt;b&gt;from:&lt;/b&gt;bob &amp;nbsp; qui l’a envoyé&lt;br&gt;&lt;b&gt;to:&lt;/b&gt;alice &amp;nbsp; qui l’a reçu (À ou Cc)&lt;br&gt;&lt;b&gt;subject:&lt;/b&gt;facture &amp;nbsp; mots de l’objet&lt;br&gt;&lt;b&gt;after:&lt;/b&gt;2024-01-31 &amp;nbsp; reçu ce jour-là ou après&lt;br&gt;&lt;b&gt;before:&lt;/b&gt;2024-03-01 &amp;nbsp; reçu avant ce jour&lt;br&gt;&lt;b&gt;in:&lt;/b&gt;inbox ou &lt;b&gt;in:&lt;/b&gt;sent &amp;nbsp; un seul dossier&lt;/p&gt;&lt;p&gt;Les guillemets regroupent une expression : "rapport trimestriel"&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Back to the list shown before (%1)</source>
        <translation>Revenir à la liste précédente (%1)</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>Search %1 — from: to: subject: before: after:</source>
        <extracomment>Search box placeholder; %1 is a folder or connection ("All mail", "Inbox · Work")</extracomment>
        <translation>Rechercher dans %1 — from: to: subject: before: after:</translation>
    </message>
    <message>
        <source>The archive cannot be opened: %1</source>
        <translation>Impossible d’ouvrir l’archive : %1</translation>
    </message>
    <message>
        <source>Nothing is archived yet. Connect a mailbox and sync it to fill the archive.</source>
        <translation>Rien n’est encore archivé. Connectez une boîte aux lettres et synchronisez-la pour remplir l’archive.</translation>
    </message>
    <message>
        <source>No messages here.</source>
        <translation>Aucun message ici.</translation>
    </message>
    <message>
        <source>No messages match</source>
        <translation>Aucun message ne correspond</translation>
    </message>
    <message numerus="yes">
        <source>%Ln result(s)</source>
        <translation>
            <numerusform>%Ln résultat</numerusform>
            <numerusform>%Ln résultats</numerusform>
        </translation>
    </message>
    <message>
        <source>More than %L1 results, counting…</source>
        <translation>Plus de %L1 résultats, décompte en cours…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message numerus="yes">
        <source>With %1 — %Ln message(s)</source>
        <translation>
            <numerusform>Avec %1 — %Ln message</numerusform>
            <numerusform>Avec %1 — %Ln messages</numerusform>
        </translation>
    </message>
    <message>
        <source>With %1</source>
        <translation>Avec %1</translation>
    </message>
    <message numerus="yes">
        <source>Conversation: %1 — %Ln message(s)</source>
        <translation>
            <numerusform>Conversation : %1 — %Ln message</numerusform>
            <numerusform>Conversation : %1 — %Ln messages</numerusform>
        </translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(sans objet)</translation>
    </message>
    <message>
        <source>Sync log…</source>
        <translation>Journal de synchronisation…</translation>
    </message>
    <message>
        <source>Show conversation</source>
        <translation>Afficher la conversation</translation>
    </message>
    <message>
        <source>Conversations with %1</source>
        <translation>Conversations avec %1</translation>
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
        <translation>Reconnecter %1</translation>
    </message>
    <message>
        <source>Sign in with %1</source>
        <translation>S’identifier avec %1</translation>
    </message>
    <message>
        <source>Continue in your browser…</source>
        <translation>Continuez dans votre navigateur…</translation>
    </message>
    <message>
        <source>Waiting for the browser</source>
        <translation>En attente du navigateur</translation>
    </message>
    <message>
        <source>The address it opened:</source>
        <translation>L’adresse ouverte :</translation>
    </message>
    <message>
        <source>Sign-in address</source>
        <translation>Adresse d’identification</translation>
    </message>
    <message>
        <source>Preparing the sign-in…</source>
        <translation>Préparation de l’identification…</translation>
    </message>
    <message>
        <source>&amp;Copy link</source>
        <translation>&amp;Copier le lien</translation>
    </message>
    <message>
        <source>&amp;Open again</source>
        <translation>&amp;Rouvrir</translation>
    </message>
    <message>
        <source>No browser could be opened from here. Copy the link and open it in the browser you use.</source>
        <translation>Aucun navigateur n’a pu être ouvert d’ici. Copiez le lien et ouvrez-le dans votre navigateur.</translation>
    </message>
    <message>
        <source>Lookback never sees your password. It asks only to read your mail, and keeps the permission you give in the system keychain.</source>
        <translation>Lookback ne voit jamais votre mot de passe. Il demande seulement à lire votre courrier et garde l’autorisation donnée dans le trousseau du système.</translation>
    </message>
    <message>
        <source>The sign-in did not finish</source>
        <translation>L’identification n’a pas abouti</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>&amp;Réessayer</translation>
    </message>
    <message>
        <source>The archive is untouched. Try again, or close this window and reconnect later.</source>
        <translation>L’archive est intacte. Réessayez, ou fermez cette fenêtre et reconnectez-vous plus tard.</translation>
    </message>
    <message>
        <source>Nothing was saved. Try again, or close this window and add the connection later.</source>
        <translation>Rien n’a été enregistré. Réessayez, ou fermez cette fenêtre et ajoutez la connexion plus tard.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <source>Lookback opened %1's sign-in page in your web browser. Sign in there as %2 and allow Lookback to read your mail again; this window goes on by itself.</source>
        <translation>Lookback a ouvert la page d’identification de %1 dans votre navigateur. Identifiez-vous comme %2 et autorisez de nouveau Lookback à lire votre courrier ; cette fenêtre continue toute seule.</translation>
    </message>
    <message>
        <source>Lookback opened %1's sign-in page in your web browser. Sign in there and allow Lookback to read your mail; this window goes on by itself.</source>
        <translation>Lookback a ouvert la page d’identification de %1 dans votre navigateur. Identifiez-vous et autorisez Lookback à lire votre courrier ; cette fenêtre continue toute seule.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::ConnectionCard</name>
    <message>
        <source>Less than a minute left</source>
        <translation>Moins d’une minute restante</translation>
    </message>
    <message numerus="yes">
        <source>About %n minute(s) left</source>
        <translation>
            <numerusform>Environ %n minute restante</numerusform>
            <numerusform>Environ %n minutes restantes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>About %n hour(s) left</source>
        <translation>
            <numerusform>Environ %n heure restante</numerusform>
            <numerusform>Environ %n heures restantes</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>Progression de la synchronisation</translation>
    </message>
    <message>
        <source>Cancel this backfill (what was already archived stays)</source>
        <translation>Annuler cette récupération de l’historique (ce qui est déjà archivé est conservé)</translation>
    </message>
    <message>
        <source>Cancel backfill</source>
        <translation>Annuler la récupération</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Plus</translation>
    </message>
    <message>
        <source>More actions</source>
        <translation>Plus d’actions</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Backfill more history…</source>
        <translation>Récupérer plus d’historique…</translation>
    </message>
    <message>
        <source>Reconnect…</source>
        <translation>Reconnecter…</translation>
    </message>
    <message>
        <source>Sync log</source>
        <translation>Journal de synchronisation</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Déconnecter</translation>
    </message>
    <message>
        <source>all mail</source>
        <translation>tous les messages</translation>
    </message>
    <message>
        <source>the last 12 months</source>
        <translation>12 derniers mois</translation>
    </message>
    <message numerus="yes">
        <source>the last %n day(s)</source>
        <translation>
            <numerusform>%n jour</numerusform>
            <numerusform>%n derniers jours</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection %1</source>
        <translation>Connexion %1</translation>
    </message>
    <message numerus="yes">
        <source>Sync complete — %Ln message(s) from %1</source>
        <translation>
            <numerusform>Synchronisation terminée — %Ln message (%1)</numerusform>
            <numerusform>Synchronisation terminée — %Ln messages (%1)</numerusform>
        </translation>
    </message>
    <message>
        <source>No history synced yet</source>
        <translation>Aucun historique synchronisé pour l’instant</translation>
    </message>
    <message>
        <source>Syncing %1</source>
        <translation>Synchronisation : %1</translation>
    </message>
    <message>
        <source>Paused — %1</source>
        <translation>En pause : %1</translation>
    </message>
    <message>
        <source>Synced %1</source>
        <translation>Synchronisé : %1</translation>
    </message>
    <message>
        <source>Backfill of %1 cancelled</source>
        <translation>Récupération annulée : %1</translation>
    </message>
    <message>
        <source>Sync of %1 failed</source>
        <translation>Échec de la synchronisation : %1</translation>
    </message>
    <message>
        <source>Counting messages on the server…</source>
        <translation>Comptage des messages sur le serveur…</translation>
    </message>
    <message>
        <source>%1 of ~%2 messages</source>
        <translation>%1 sur ~%2 messages</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Resume backfill</source>
        <translation>Reprendre la récupération</translation>
    </message>
    <message>
        <source>Pause backfill</source>
        <translation>Suspendre la récupération</translation>
    </message>
    <message numerus="yes">
        <source>No new messages for %n minute(s). The server may be slow or the connection stuck.</source>
        <translation>
            <numerusform>Aucun nouveau message depuis %n minute. Le serveur est peut-être lent ou la connexion bloquée.</numerusform>
            <numerusform>Aucun nouveau message depuis %n minutes. Le serveur est peut-être lent ou la connexion bloquée.</numerusform>
        </translation>
    </message>
    <message>
        <source>Lookback could not sign in: %1</source>
        <translation>Lookback n’a pas pu s’identifier : %1</translation>
    </message>
    <message>
        <source>Access was removed: %1</source>
        <translation>L’accès a été retiré : %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Échec : %1</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Cancel backfill?</source>
        <translation>Annuler la récupération ?</translation>
    </message>
    <message>
        <source>Stop syncing the history of %1 for good? The %2 messages already archived stay, and new mail keeps arriving.</source>
        <translation>Arrêter définitivement la synchronisation de l’historique de %1 ? Les %2 messages déjà archivés sont conservés, et les nouveaux messages continuent d’arriver.</translation>
    </message>
    <message>
        <source>Keep syncing</source>
        <translation>Continuer la synchronisation</translation>
    </message>
    <message>
        <source>new mail</source>
        <translation>nouveaux messages</translation>
    </message>
    <message>
        <source>Checking for new mail</source>
        <translation>Recherche de nouveaux messages</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>À jour</translation>
    </message>
    <message>
        <source>%1 of %2 new messages</source>
        <translation>%1 sur %2 nouveaux messages</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) could not be read</source>
        <translation>
            <numerusform>%n message n’a pas pu être lu</numerusform>
            <numerusform>%n messages n’ont pas pu être lus</numerusform>
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
        <translation>Ajouter une boîte aux lettres partagée…</translation>
    </message>
    <message>
        <source>Shared mailbox · %1</source>
        <translation>Boîte aux lettres partagée · %1</translation>
    </message>
    <message>
        <source>Waiting on %1 — reconnect it. This mailbox goes on by itself once it is.</source>
        <translation>En attente de %1 — reconnectez-la. Cette boîte aux lettres reprendra alors d’elle-même.</translation>
    </message>
    <message>
        <source>the personal connection</source>
        <translation>la connexion personnelle</translation>
    </message>
    <message>
        <source>Reconnect %1…</source>
        <translation>Reconnecter %1…</translation>
    </message>
    <message>
        <source>Waiting — %1</source>
        <translation>En attente — %1</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::ConnectionsPage</name>
    <message>
        <source>Connections</source>
        <translation>Connexions</translation>
    </message>
    <message>
        <source>Add connection…</source>
        <translation>Ajouter une connexion…</translation>
    </message>
    <message>
        <source>No mailbox connected yet.
Add a connection (IMAP, Gmail or Microsoft 365) to pull its history onto this computer.</source>
        <translation>Aucune boîte aux lettres connectée pour l’instant.
Ajoutez une connexion (IMAP, Gmail ou Microsoft 365) pour rapatrier son historique sur cet ordinateur.</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::FolderTreeModel</name>
    <message>
        <source>Inbox</source>
        <translation>Boîte de réception</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Envoyés</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <extracomment>A folder of a connection, e.g. "Inbox · Work"</extracomment>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>All mail</source>
        <translation>Tous les messages</translation>
    </message>
    <message numerus="yes">
        <source>%1, %Ln message(s)</source>
        <translation>
            <numerusform>%1, %Ln message</numerusform>
            <numerusform>%1, %Ln messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln message(s)</source>
        <translation>
            <numerusform>%Ln message</numerusform>
            <numerusform>%Ln messages</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (on the server: %2)</source>
        <translation>%1 (sur le serveur : %2)</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Every archived message of every connection</source>
        <translation>Tous les messages archivés de toutes les connexions</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::HealthBadge</name>
    <message>
        <source>Healthy</source>
        <translation>Opérationnelle</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <source>Throttled</source>
        <translation>Débit limité</translation>
    </message>
    <message>
        <source>Throttled — retrying at %1</source>
        <translation>Débit limité — nouvel essai à %1</translation>
    </message>
    <message>
        <source>Needs reconnect</source>
        <translation>Reconnexion requise</translation>
    </message>
    <message>
        <source>Permission lost</source>
        <translation>Accès retiré</translation>
    </message>
    <message>
        <source>Waiting on %1 — reconnect it</source>
        <translation>En attente de %1 — reconnectez-la</translation>
    </message>
    <message>
        <source>the personal connection</source>
        <translation>la connexion personnelle</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <source>Offline — retrying at %1</source>
        <translation>Hors ligne — nouvel essai à %1</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Connection status: %1</source>
        <translation>État de la connexion : %1</translation>
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
        <translation>Connexions</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Archive</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Add connection…</source>
        <translation>&amp;Ajouter une connexion…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Connections</source>
        <translation>&amp;Connexions</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>&amp;Archive</source>
        <translation>&amp;Archive</translation>
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation>Ctrl+2</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>&amp;About Lookback</source>
        <translation>À &amp;propos de Lookback</translation>
    </message>
    <message>
        <source>About Lookback</source>
        <translation>À propos de Lookback</translation>
    </message>
    <message>
        <source>&lt;b&gt;Lookback&lt;/b&gt; %1&lt;br&gt;Your mailbox's history, on your own computer.</source>
        <translation>&lt;b&gt;Lookback&lt;/b&gt; %1&lt;br&gt;L’historique de votre boîte aux lettres, sur votre propre ordinateur.</translation>
    </message>
    <message>
        <source>Disconnect %1?</source>
        <translation>Déconnecter %1 ?</translation>
    </message>
    <message>
        <source>Syncing stops and the sign-in is removed from the keychain. Everything already archived stays on this computer.</source>
        <translation>La synchronisation s’arrête et les identifiants sont supprimés du trousseau. Tout ce qui est déjà archivé reste sur cet ordinateur.</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Déconnecter</translation>
    </message>
    <message>
        <source>Show Lookback</source>
        <translation>Afficher Lookback</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>Could not add the connection</source>
        <translation>Impossible d’ajouter la connexion</translation>
    </message>
    <message>
        <source>Reconnect %1</source>
        <translation>Reconnecter %1</translation>
    </message>
    <message>
        <source>Password or app password for %1 on %2:</source>
        <translation>Mot de passe ou mot de passe d’application pour %1 sur %2 :</translation>
    </message>
    <message>
        <source>No keychain available</source>
        <translation>Aucun trousseau disponible</translation>
    </message>
    <message>
        <source>Lookback keeps passwords only in the system keychain, and none is usable:
%1

Keep the password in memory for this session only? You will be asked again next time. It is never written to disk.</source>
        <translation>Lookback ne conserve les mots de passe que dans le trousseau du système, et aucun n’est utilisable :
%1

Garder le mot de passe en mémoire pour cette session uniquement ? Il vous sera redemandé la prochaine fois. Il n’est jamais écrit sur le disque.</translation>
    </message>
    <message>
        <source>Keep for this session</source>
        <translation>Garder pour cette session</translation>
    </message>
    <message>
        <source>Forget it</source>
        <translation>Oublier</translation>
    </message>
    <message>
        <source>Sync complete</source>
        <translation>Synchronisation terminée</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>%1 needs attention</source>
        <translation>%1 requiert votre attention</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::MessageListModel</name>
    <message>
        <source>To: %1</source>
        <translation>À : %1</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(inconnu)</translation>
    </message>
    <message>
        <source>%1 &lt;%2&gt;</source>
        <translation>%1 &lt;%2&gt;</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(sans objet)</translation>
    </message>
    <message>
        <source>%1
%2</source>
        <translation>%1
%2</translation>
    </message>
    <message>
        <source>Has attachments</source>
        <translation>Contient des pièces jointes</translation>
    </message>
    <message>
        <source>To</source>
        <translation>À</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>From / To</source>
        <translation>De / À</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Pièces jointes</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::MessageView</name>
    <message>
        <source>%1, %2</source>
        <extracomment>A message's date in its header: %1 is the long date, %2 the time.</extracomment>
        <translation>%1 à %2</translation>
    </message>
    <message>
        <source>Select a message to read it.</source>
        <translation>Sélectionnez un message pour le lire.</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>De :</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>À :</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Cc :</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>Date :</translation>
    </message>
    <message>
        <source>Click an address to see every message exchanged with it.</source>
        <translation>Cliquez sur une adresse pour voir tous les messages échangés avec elle.</translation>
    </message>
    <message>
        <source>Remote images were not loaded, so the sender cannot tell that you opened this message.</source>
        <translation>Les images distantes n’ont pas été chargées : l’expéditeur ne peut donc pas savoir que vous avez ouvert ce message.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Open at the provider</source>
        <translation>Ouvrir chez le fournisseur</translation>
    </message>
    <message>
        <source>%1 &amp;lt;%2&amp;gt;</source>
        <translation>%1 &amp;lt;%2&amp;gt;</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(sans objet)</translation>
    </message>
    <message>
        <source>Received %1</source>
        <translation>Reçu le %1</translation>
    </message>
    <message numerus="yes">
        <source>Attachments (%Ln)</source>
        <translation>
            <numerusform>Pièce jointe (%Ln)</numerusform>
            <numerusform>Pièces jointes (%Ln)</numerusform>
        </translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(sans nom)</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnue</translation>
    </message>
    <message>
        <source>Lookback keeps only these details; the files themselves stay at your provider.</source>
        <translation>Lookback ne conserve que ces informations ; les fichiers eux-mêmes restent chez votre fournisseur.</translation>
    </message>
    <message>
        <source>Open this message in your web browser, where its attachments can be downloaded.</source>
        <translation>Ouvrir ce message dans votre navigateur web, où ses pièces jointes peuvent être téléchargées.</translation>
    </message>
    <message>
        <source>Lookback keeps only these details; the files themselves stay on your mail server. Open the message in your usual mail program to get them.</source>
        <translation>Lookback ne conserve que ces informations ; les fichiers eux-mêmes restent sur votre serveur de messagerie. Ouvrez le message dans votre logiciel de messagerie habituel pour les récupérer.</translation>
    </message>
    <message>
        <source>Not available for IMAP: a generic IMAP server has no web address for a single message.</source>
        <translation>Non disponible pour IMAP : un serveur IMAP générique n’a pas d’adresse web pour un message donné.</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::RangePickerDialog</name>
    <message>
        <source>How much mail should we sync?</source>
        <translation>Quelle quantité de courrier synchroniser ?</translation>
    </message>
    <message>
        <source>Lookback copies the Inbox and Sent mail of “%1” to this computer, newest first. You can fetch older mail later.</source>
        <translation>Lookback copie la boîte de réception et les messages envoyés de « %1 » sur cet ordinateur, les plus récents d’abord. Vous pourrez récupérer les messages plus anciens ultérieurement.</translation>
    </message>
    <message>
        <source>Last &amp;30 days</source>
        <translation>&amp;30 derniers jours</translation>
    </message>
    <message>
        <source>Last &amp;90 days</source>
        <translation>&amp;90 derniers jours</translation>
    </message>
    <message>
        <source>Last 12 &amp;months</source>
        <translation>12 derniers &amp;mois</translation>
    </message>
    <message>
        <source>&amp;Everything</source>
        <translation>&amp;Tout</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>Recommandé</translation>
    </message>
    <message>
        <source>&amp;Custom:</source>
        <translation>&amp;Personnalisé :</translation>
    </message>
    <message>
        <source>Custom number of days</source>
        <translation>Nombre de jours personnalisé</translation>
    </message>
    <message>
        <source>days</source>
        <translation>jours</translation>
    </message>
    <message>
        <source>S&amp;kip for now</source>
        <translation>&amp;Ignorer pour l’instant</translation>
    </message>
    <message>
        <source>Skip: nothing is copied now; only new mail from now on. You can fetch history later.</source>
        <translation>Ignorer : rien n’est copié pour l’instant, seuls les nouveaux messages le seront désormais. Vous pourrez récupérer l’historique ultérieurement.</translation>
    </message>
    <message>
        <source>&amp;Start sync</source>
        <translation>&amp;Démarrer la synchronisation</translation>
    </message>
    <message>
        <source>under a minute</source>
        <translation>moins d’une minute</translation>
    </message>
    <message numerus="yes">
        <source>about %n minute(s)</source>
        <translation>
            <numerusform>environ %n minute</numerusform>
            <numerusform>environ %n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n hour(s)</source>
        <translation>
            <numerusform>environ %n heure</numerusform>
            <numerusform>environ %n heures</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n day(s)</source>
        <translation>
            <numerusform>environ %n jour</numerusform>
            <numerusform>environ %n jours</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
    <message>
        <source>probably no messages</source>
        <translation>probablement aucun message</translation>
    </message>
    <message>
        <source>no messages</source>
        <translation>aucun message</translation>
    </message>
    <message numerus="yes">
        <source>about %Ln message(s)</source>
        <translation>
            <numerusform>environ %Ln message</numerusform>
            <numerusform>environ %Ln messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>≈ %Ln message(s)</source>
        <translation>
            <numerusform>≈ %Ln message</numerusform>
            <numerusform>≈ %Ln messages</numerusform>
        </translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Comptage…</translation>
    </message>
    <message>
        <source>Estimated from the counts for 30, 90 and 365 days</source>
        <translation>Estimation d’après les décomptes sur 30, 90 et 365 jours</translation>
    </message>
    <message>
        <source>Counting the messages in Inbox and Sent on the server…</source>
        <translation>Comptage des messages de la boîte de réception et des Envoyés sur le serveur…</translation>
    </message>
    <message>
        <source>The messages could not be counted, so the sizes are unknown. You can still choose.
%1</source>
        <translation>Les messages n’ont pas pu être comptés, les volumes sont donc inconnus. Vous pouvez tout de même choisir.
%1</translation>
    </message>
    <message>
        <source>Counted on the server, Inbox and Sent together. Times are estimated from a download measured just now.</source>
        <translation>Comptés sur le serveur, boîte de réception et Envoyés ensemble. Les durées sont estimées d’après un téléchargement mesuré à l’instant.</translation>
    </message>
    <message>
        <source>Counted on the server, Inbox and Sent together. The download speed could not be measured, so no times are shown.</source>
        <translation>Comptés sur le serveur, boîte de réception et Envoyés ensemble. La vitesse de téléchargement n’a pas pu être mesurée, aucune durée n’est donc affichée.</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::SearchWorker</name>
    <message>
        <source>The archive cannot be searched: %1</source>
        <translation>Impossible d’effectuer une recherche dans l’archive : %1</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::SharedMailboxDialog</name>
    <message>
        <source>Add shared mailbox</source>
        <translation>Ajouter une boîte aux lettres partagée</translation>
    </message>
    <message>
        <source>A mailbox someone shares with %1, such as a team's support address. Lookback reads it with the sign-in of “%2”, so there is nothing more to sign in to; its owner must have shared Inbox and Sent Items with you.</source>
        <translation>Une boîte aux lettres que quelqu’un partage avec %1, comme l’adresse d’assistance d’une équipe. Lookback la lit avec l’identification de « %2 » : aucune autre identification n’est donc nécessaire. Son propriétaire doit avoir partagé avec vous la boîte de réception et les Éléments envoyés.</translation>
    </message>
    <message>
        <source>support@example.com</source>
        <translation>support@example.com</translation>
    </message>
    <message>
        <source>Shared mailbox address</source>
        <translation>Adresse de la boîte aux lettres partagée</translation>
    </message>
    <message>
        <source>Add&amp;ress:</source>
        <translation>A&amp;dresse :</translation>
    </message>
    <message>
        <source>Connection name</source>
        <translation>Nom de la connexion</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>A&amp;jouter</translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::SyncLogDialog</name>
    <message>
        <source>Sync log — %1</source>
        <translation>Journal de synchronisation — %1</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>The sync log cannot be read: %1</source>
        <translation>Impossible de lire le journal de synchronisation : %1</translation>
    </message>
    <message>
        <source>No syncs yet.</source>
        <translation>Aucune synchronisation pour l’instant.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln run(s), newest first.</source>
        <translation>
            <numerusform>%Ln synchronisation, la plus récente en premier.</numerusform>
            <numerusform>%Ln synchronisations, les plus récentes en premier.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Lookback::Ui::SyncRunModel</name>
    <message>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Terminée</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulée</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Backfill</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>Live sync</source>
        <translation>Synchronisation en continu</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Not ended</source>
        <translation>Non terminée</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Début</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Fetched</source>
        <translation>Récupérés</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
</context>
<context>
    <name>OAuthConfig</name>
    <message>
        <source>Not a valid address: %1</source>
        <translation>Adresse non valide : %1</translation>
    </message>
    <message>
        <source>%1 must use https (plain http is allowed only to this computer)</source>
        <translation>%1 doit utiliser https (le http simple n’est permis que vers cet ordinateur)</translation>
    </message>
    <message>
        <source>No Google client id: pass --client-id or set LOOKBACK_GOOGLE_CLIENT_ID (see the README on registering a desktop client)</source>
        <translation>Aucun identifiant client Google : passez --client-id ou définissez LOOKBACK_GOOGLE_CLIENT_ID (le README explique comment enregistrer un client de bureau)</translation>
    </message>
    <message>
        <source>No Microsoft client id: pass --client-id or set LOOKBACK_MICROSOFT_CLIENT_ID (see the README on registering an app)</source>
        <translation>Aucun identifiant client Microsoft : passez --client-id ou définissez LOOKBACK_MICROSOFT_CLIENT_ID (le README explique comment enregistrer une application)</translation>
    </message>
    <message>
        <source>The sign-in has no client id: reconnect</source>
        <translation>L’identification n’a pas d’identifiant client : reconnectez-vous</translation>
    </message>
</context>
<context>
    <name>OAuthToken</name>
    <message>
        <source>the sign-in expired after a long time unused</source>
        <translation>l’identification a expiré après une longue inactivité</translation>
    </message>
    <message>
        <source>the sign-in was revoked; the password may have changed</source>
        <translation>l’identification a été révoquée ; le mot de passe a peut-être changé</translation>
    </message>
    <message>
        <source>Microsoft asks for multi-factor authentication</source>
        <translation>Microsoft demande une authentification multifacteur</translation>
    </message>
    <message>
        <source>Lookback needs your consent again</source>
        <translation>Lookback a de nouveau besoin de votre consentement</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>The keychain is locked or refused access: %1</source>
        <translation>Le trousseau est verrouillé ou a refusé l’accès : %1</translation>
    </message>
    <message>
        <source>No usable keychain (Secret Service): %1</source>
        <translation>Aucun trousseau utilisable (Secret Service) : %1</translation>
    </message>
    <message>
        <source>No password is stored for this connection</source>
        <translation>Aucun mot de passe n’est enregistré pour cette connexion</translation>
    </message>
    <message>
        <source>This connection has no sign-in</source>
        <translation>Cette connexion n’a pas d’identification</translation>
    </message>
    <message>
        <source>Lookback cannot sync %1 connections yet</source>
        <translation>Lookback ne sait pas encore synchroniser les connexions %1</translation>
    </message>
    <message>
        <source>No counts for this kind of connection</source>
        <translation>Pas de décompte pour ce type de connexion</translation>
    </message>
    <message>
        <source>This kind of connection does not sign in with a browser</source>
        <translation>Ce type de connexion ne s’identifie pas par un navigateur</translation>
    </message>
</context>
<context>
    <name>RangeCounter</name>
    <message>
        <source>This connection has no sign-in</source>
        <translation>Cette connexion n’a pas d’identification</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Your mailbox's history, on your own computer.</source>
        <translation>L’historique de votre boîte aux lettres, sur votre propre ordinateur.</translation>
    </message>
    <message>
        <source>Keep the archive in DIR.</source>
        <translation>Conserver l’archive dans DIR.</translation>
    </message>
</context>
</TS>
