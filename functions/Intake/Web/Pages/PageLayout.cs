using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Intake.Web.Pages;

/// <summary>
/// What every server-rendered page shares: the page around its body (the styles, the language, no script) and
/// <see cref="E"/>, through which every value on a page goes. The support pages and the survey pages use it.
/// </summary>
internal static class PageLayout
{
    /// <summary>Encodes what HTML needs encoded and leaves other scripts (Chinese) readable.</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    // Chinese, Japanese and Korean share characters drawn differently in each: text asks for its own language's typeface
    // (the page's, or a language name's in the switcher, where [lang] stops a CJK page's list reaching other languages),
    // not the first CJK font a list happens to name. Their lists leave out system-ui, which on Windows is the system's own
    // CJK font whatever the page's language.
    private const string Css = """
        body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1b1b1b;background:#fff}
        [lang]{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
        :lang(zh-Hans){font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",sans-serif}
        :lang(zh-Hant){font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","PingFang TC","Microsoft JhengHei","Noto Sans CJK TC","Noto Sans TC",sans-serif}
        :lang(ja){font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","Hiragino Sans","Hiragino Kaku Gothic ProN","Yu Gothic UI",Meiryo,"Noto Sans CJK JP","Noto Sans JP",sans-serif}
        :lang(ko){font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","Apple SD Gothic Neo","Malgun Gothic","Noto Sans CJK KR","Noto Sans KR",sans-serif}
        main{max-width:40rem;margin:0 auto;padding:1rem}
        h1{font-size:1.75rem;line-height:1.25;margin:1rem 0}
        h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
        a{color:#0645ad}
        nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .5rem}
        nav a{display:inline-flex;align-items:center;min-height:2.75rem;min-width:2.75rem;padding:0 .5rem;box-sizing:border-box}
        .warn{border-left:.3rem solid #8a4b00;background:#fff4e5;padding:.75rem 1rem}
        label{display:block;font-weight:600;margin-top:1rem}
        .hint{display:block;color:#454545;margin:.1rem 0 .25rem}
        .error{display:block;color:#b3261e;font-weight:600;margin:.1rem 0 .25rem}
        input,textarea,select{box-sizing:border-box;width:100%;max-width:100%;font:inherit;padding:.5rem;border:2px solid #595959;border-radius:.25rem;color:inherit;background:#fff}
        textarea{min-height:10rem;resize:vertical}
        [aria-invalid=true]{border-color:#b3261e;border-width:3px}
        :focus-visible{outline:3px solid #1a56db;outline-offset:2px}
        .errors{border:3px solid #b3261e;padding:.25rem 1rem;margin:1rem 0}
        .errors h2{margin-top:.5rem}
        .hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
        fieldset{border:1px solid #767676;border-radius:.25rem;margin:1.5rem 0 0;padding:0 1rem 1rem}
        legend{font-weight:600;padding:0 .25rem}
        button{font:inherit;font-weight:600;margin-top:1.5rem;padding:.6rem 1.5rem;color:#fff;background:#1b4fa0;border:2px solid #1b4fa0;border-radius:.25rem;cursor:pointer}
        .scale{display:flex;flex-wrap:nowrap;gap:.5rem}
        .scale button{flex:1 1 0;min-width:2.75rem;min-height:2.75rem;margin-top:.5rem;padding:.5rem 0}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
        dt{font-weight:600}
        dd{margin:0;overflow-wrap:anywhere}
        ol.thread{list-style:none;padding:0}
        .msg{border:1px solid #b0b0b0;border-radius:.25rem;padding:.5rem 1rem;margin:1rem 0}
        .msg.out{background:#f2f5fa}
        .msg h3{font-size:1rem;margin:0}
        .msg p{white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0 0}
        @media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
        """;

    /// <summary>The page around <paramref name="body"/> (already HTML), in the language <paramref name="languageCode"/>.</summary>
    public static string Render(string languageCode, string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="{E(languageCode)}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{E(title)}</title>
        <style>
        {Css}
        </style>
        </head>
        <body>
        <main>
        {body}</main>
        </body>
        </html>

        """;

    /// <summary>Encoded, with line breaks left as they are so that text areas and pre-wrapped text read naturally.</summary>
    public static string E(string? value) =>
        string.IsNullOrEmpty(value) ? "" : Html.Encode(value)
            .Replace("&#xD;&#xA;", "\n", StringComparison.Ordinal)
            .Replace("&#xD;", "\n", StringComparison.Ordinal)
            .Replace("&#xA;", "\n", StringComparison.Ordinal);
}
