#pragma once

// Private to core/message: the GMime glue the decoders share. Only the .cpp files
// that call GMime include this; public headers never do, so GMime stays an
// implementation detail of lookback_core.

// GLib's headers use "signals" as a name, which Qt defines as a macro.
#pragma push_macro("signals")
#undef signals
#include <gmime/gmime.h>
#pragma pop_macro("signals")

namespace Lookback::Mime::detail {

// Parser options for one call: lenient everywhere, UTF-8 then windows-1252 for
// stray 8-bit header text. Owned by the caller, never shared between threads.
class ParserOptions
{
public:
    ParserOptions()
        : m_options(g_mime_parser_options_new())
    {
        const char *charsets[] = {"UTF-8", "windows-1252", nullptr};
        g_mime_parser_options_set_fallback_charsets(m_options, charsets);
        g_mime_parser_options_set_address_compliance_mode(m_options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_parameter_compliance_mode(m_options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_rfc2047_compliance_mode(m_options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_allow_addresses_without_domain(m_options, TRUE);
    }
    ~ParserOptions() { g_mime_parser_options_free(m_options); }
    ParserOptions(const ParserOptions &) = delete;
    ParserOptions &operator=(const ParserOptions &) = delete;
    GMimeParserOptions *get() const { return m_options; }

private:
    GMimeParserOptions *m_options;
};

} // namespace Lookback::Mime::detail
