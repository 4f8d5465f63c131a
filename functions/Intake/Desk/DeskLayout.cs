using static Intake.Web.Pages.PageLayout;

namespace Intake.Desk;

/// <summary>
/// The page around every desk page: the desk's styles (wider than the customer pages', for the queue's table), the
/// navigation, the language switcher and the sign-out form. No script; every value goes through
/// <see cref="Web.Pages.PageLayout.E"/>.
/// </summary>
internal static class DeskLayout
{
    private const string Css = """
        body{margin:0;font:0.95rem/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1b1b1b;background:#fff}
        :lang(zh-Hans){font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",sans-serif}
        header{background:#1b2a41;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
        header a,header button{color:#fff}
        header nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
        header nav a{display:inline-block;padding:.4rem .2rem}
        header nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
        header .who{margin-left:auto;display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}
        header form{margin:0}
        header button{background:transparent;border:1px solid #fff;margin:0;padding:.3rem .8rem}
        main{max-width:80rem;margin:0 auto;padding:1rem}
        main.narrow{max-width:28rem}
        h1{font-size:1.5rem;margin:.5rem 0 1rem}
        h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
        a{color:#0645ad}
        table{border-collapse:collapse;width:100%;margin:.5rem 0}
        th,td{border-bottom:1px solid #c8c8c8;padding:.35rem .5rem;text-align:left;vertical-align:top}
        thead th{background:#eef1f5}
        caption{text-align:left;font-weight:600;padding:.25rem 0}
        label{display:block;font-weight:600;margin-top:.75rem}
        input,select,textarea{box-sizing:border-box;font:inherit;padding:.4rem;border:2px solid #595959;border-radius:.25rem;background:#fff;color:inherit}
        input[type=text],input[type=password],textarea{width:100%}
        textarea{min-height:9rem;resize:vertical}
        button{font:inherit;font-weight:600;margin-top:.75rem;padding:.45rem 1.1rem;color:#fff;background:#1b4fa0;border:2px solid #1b4fa0;border-radius:.25rem;cursor:pointer}
        button.secondary{background:#fff;color:#1b4fa0}
        button.danger{background:#9b1c1c;border-color:#9b1c1c}
        :focus-visible{outline:3px solid #1a56db;outline-offset:2px}
        .filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
        .filters label{margin-top:0}
        .filters button{margin-top:0}
        .actions{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
        .actions form{margin:0}
        .notice{border-left:.35rem solid #1b4fa0;background:#eef3fb;padding:.6rem 1rem;margin:1rem 0}
        .notice.problem{border-color:#b3261e;background:#fdecea}
        .sla-ok{color:#1e5631}
        .sla-warn{color:#7a4100;background:#fff4e5;font-weight:600}
        .sla-breach{color:#fff;background:#9b1c1c;font-weight:700;padding:0 .3rem}
        .sla-paused,.sla-done{color:#454545}
        .urgency-urgent{font-weight:700;color:#9b1c1c}
        .urgency-high{font-weight:600;color:#7a4100}
        .flag{display:inline-block;border:1px solid #595959;border-radius:.75rem;padding:0 .5rem;margin:0 .25rem .25rem 0;font-size:.85rem;white-space:nowrap}
        .flag.alarm{border-color:#9b1c1c;color:#9b1c1c;font-weight:600}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
        dt{font-weight:600}
        dd{margin:0;overflow-wrap:anywhere}
        ol.thread{list-style:none;padding:0}
        .msg{border:1px solid #b0b0b0;border-radius:.25rem;padding:.5rem 1rem;margin:.75rem 0}
        .msg.outbound{background:#f2f5fa}
        .msg h3{font-size:.95rem;margin:0}
        .msg .text{white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0 0}
        mark.redacted{background:#ffe08a;color:#1b1b1b;border:1px dashed #7a4100;padding:0 .2rem}
        code.copy{user-select:all;-webkit-user-select:all;background:#f2f2f2;padding:.1rem .3rem;overflow-wrap:anywhere;font-size:.9rem}
        .hint{color:#454545;font-size:.9rem}
        .paging{display:flex;gap:1rem;margin:1rem 0}
        .columns{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:0 2rem}
        @media (max-width:60rem){.columns{grid-template-columns:1fr}}
        """;

    /// <summary>A page of the desk for a signed-in agent: navigation with <paramref name="current"/> marked, sign-out, the switcher.</summary>
    public static string Render(DeskTexts t, string title, string current, DeskSession session, string body, string switcherPath) => Page(t, title, $"""
        <header>
        <nav aria-label="{E(t["Nav.Label"])}"><ul>
        {NavItem(DeskPaths.Queue, t["Nav.Queue"], current)}
        {NavItem(DeskPaths.Blocked, t["Nav.Blocked"], current)}
        {NavItem(DeskPaths.Dashboard, t["Nav.Dashboard"], current)}
        </ul></nav>
        <div class="who">
        {Switcher(t, switcherPath)}
        <span>{E(t.Format("Nav.SignedInAs", session.Agent))}</span>
        <form method="post" action="{DeskPaths.SignOut}"><input type="hidden" name="{DeskSignIn.FormTokenField}" value="{E(session.FormToken)}"><button type="submit">{E(t["Nav.SignOut"])}</button></form>
        </div>
        </header>
        <main>
        {body}</main>
        """);

    /// <summary>A page without navigation (sign-in).</summary>
    public static string Bare(DeskTexts t, string title, string body, string switcherPath) => Page(t, title, $"""
        <header><span>{E(t["Desk.Name"])}</span><div class="who">{Switcher(t, switcherPath)}</div></header>
        <main class="narrow">
        {body}</main>
        """);

    private static string Page(DeskTexts t, string title, string content) => $"""
        <!DOCTYPE html>
        <html lang="{E(t.Language)}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{E(title)} · {E(t["Desk.Name"])}</title>
        <style>
        {Css}
        </style>
        </head>
        <body>
        {content}
        </body>
        </html>

        """;

    private static string NavItem(string path, string label, string current) =>
        $"""<li><a href="{E(path)}"{(path == current ? " aria-current=\"page\"" : "")}>{E(label)}</a></li>""";

    /// <summary>Links to this page in each language the desk speaks, each named in its own language.</summary>
    private static string Switcher(DeskTexts t, string path)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var links = DeskTexts.Languages.Select(language =>
        {
            var own = DeskTexts.For(language);
            return language == t.Language
                ? $"""<li><span lang="{E(language)}" aria-current="true">{E(own["Language.Name"])}</span></li>"""
                : $"""<li><a lang="{E(language)}" hreflang="{E(language)}" href="{E(path + separator + "lang=" + language)}">{E(own["Language.Name"])}</a></li>""";
        });
        return $"""<nav aria-label="{E(t["Nav.Language"])}"><ul>{string.Concat(links)}</ul></nav>""";
    }
}

/// <summary>The desk's addresses.</summary>
public static class DeskPaths
{
    public const string Queue = "/desk";
    public const string SignIn = "/desk/sign-in";
    public const string SignOut = "/desk/sign-out";
    public const string Blocked = "/desk/blocked";
    public const string Dashboard = "/desk/dashboard";

    public static string Ticket(string id) => "/desk/tickets/" + Uri.EscapeDataString(id);
}
