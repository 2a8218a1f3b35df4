#include "partrule.h"

namespace Lookback::Mime {

namespace {

bool isSignatureType(const LeafPart &p)
{
    return p.type == "application"
        && (p.subtype == "pgp-signature" || p.subtype == "pkcs7-signature" || p.subtype == "x-pkcs7-signature");
}

bool isBodyTextType(const LeafPart &p)
{
    return p.type == "text" && (p.subtype == "plain" || p.subtype == "html");
}

bool namesFile(const ParamList &params, const QByteArray &name)
{
    for (const auto &p : params) {
        const QByteArray n = p.first.toLower();
        // RFC 2231 sections and charsets rename the parameter: filename*, filename*0*, ...
        if (n == name || (n.startsWith(name) && n.at(name.size()) == '*'))
            return true;
    }
    return false;
}

} // namespace

bool isContainer(const QByteArray &lowerType)
{
    return lowerType == "multipart";
}

bool hasFileNameParameter(const ParamList &dispositionParams, const ParamList &typeParams)
{
    return namesFile(dispositionParams, "filename") || namesFile(typeParams, "name");
}

QVector<PartRole> decideParts(const QVector<LeafPart> &leaves)
{
    QVector<PartRole> roles(leaves.size(), PartRole::Attachment);
    int plain = -1;
    int html = -1;
    int htmlAnywhere = -1;
    for (int i = 0; i < leaves.size(); ++i) {
        const LeafPart &p = leaves.at(i);
        if (p.signatureSlot && isSignatureType(p)) {
            roles[i] = PartRole::Skip;
            continue;
        }
        if (p.disposition == "attachment" || p.hasFileName || !isBodyTextType(p))
            continue;
        if (p.empty) {
            roles[i] = PartRole::Skip;
            continue;
        }
        if (p.subtype == "plain") {
            if (plain < 0)
                plain = i;
        } else {
            if (htmlAnywhere < 0)
                htmlAnywhere = i;
            if (html < 0 && p.inAlternative)
                html = i;
        }
    }
    if (html < 0)
        html = htmlAnywhere;
    if (plain >= 0)
        roles[plain] = PartRole::BodyPlain;
    if (html >= 0)
        roles[html] = PartRole::BodyHtml;
    return roles;
}

} // namespace Lookback::Mime
