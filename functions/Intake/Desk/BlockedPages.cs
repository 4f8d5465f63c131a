using System.Globalization;
using System.Text;
using Intake.Tickets;
using static Intake.Web.Pages.PageLayout;

namespace Intake.Desk;

/// <summary>The blocked contacts: the list, each with its blocked messages when opened, and the forms that block and unblock.</summary>
internal static class BlockedPages
{
    public static string List(
        DeskTexts t, DeskSession session, IReadOnlyList<ContactBlock> blocks, ContactBlock? opened, IReadOnlyList<BlockedMessage> messages, DeskNotice? notice)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <h1>{E(t["Blocked.ListTitle"])}</h1>
            <p>{E(t["Blocked.ListIntro"])}</p>

            """);
        if (notice is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<div class="notice{(notice.Problem ? " problem" : "")}" role="{(notice.Problem ? "alert" : "status")}"><p>{E(notice.Text)}</p></div>""").Append('\n');
        }

        if (blocks.Count == 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<p role="status">{E(t["Blocked.None"])}</p>""").Append('\n');
        }
        else
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <table>
                <caption>{E(t["Blocked.ListCaption"])}</caption>
                <thead><tr><th scope="col">{E(t["Ticket.Contact"])}</th><th scope="col">{E(t["Queue.Channel"])}</th><th scope="col">{E(t["Blocked.ReasonColumn"])}</th><th scope="col">{E(t["Blocked.By"])}</th><th scope="col">{E(t["Blocked.Messages"])}</th><th scope="col">{E(t["Blocked.Action"])}</th></tr></thead>
                <tbody>

                """);
            foreach (var block in blocks)
            {
                var link = DeskPaths.Blocked + "?channel=" + Uri.EscapeDataString(block.Channel) + "&id=" + Uri.EscapeDataString(block.ContactId);
                var who = block.Name is { Length: > 0 } name ? $"{E(name)} " : "";
                var count = block.BlockedMessages == 0
                    ? E(t["Blocked.NoMessages"])
                    : $"""<a href="{E(link)}">{E(t.Format("Blocked.MessageCount", block.BlockedMessages))}</a>{(block.LastBlockedMessageAt is { } last ? " · " + DeskPages.Time(last) : "")}""";
                body.Append(CultureInfo.InvariantCulture, $"""
                    <tr><th scope="row">{who}<code class="copy">{E(block.ContactId)}</code></th><td>{E(t["Channel." + block.Channel])}</td><td>{E(block.Reason)}</td><td>{E(block.Agent)} · {DeskPages.Time(block.BlockedAt)}</td><td>{count}</td><td>{UnblockForm(t, session, block.Channel, block.ContactId, null)}</td></tr>

                    """);
            }

            body.Append("</tbody>\n</table>\n");
            body.Append(CultureInfo.InvariantCulture, $"""<p class="hint">{E(t["Blocked.UnblockHint"])}</p>""").Append('\n');
        }

        if (opened is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<h2 id="messages">{E(t.Format("Blocked.MessagesOf", opened.ContactId))}</h2>""").Append('\n');
            if (messages.Count == 0)
            {
                body.Append(CultureInfo.InvariantCulture, $"""<p>{E(t["Blocked.NoMessages"])}</p>""");
            }
            else
            {
                body.Append("<ol class=\"thread\">\n");
                foreach (var message in messages)
                {
                    body.Append(CultureInfo.InvariantCulture, $"""<li class="msg inbound"><h3>{DeskPages.Time(message.At)}</h3><div class="text">{DeskPages.WithMarkers(t, message.Text)}</div></li>""").Append('\n');
                }

                body.Append("</ol>\n");
            }
        }

        body.Append(CultureInfo.InvariantCulture, $"""
            <h2>{E(t["Blocked.BlockTitle"])}</h2>
            <form method="post" action="{DeskPaths.Blocked}" class="filters">
            <input type="hidden" name="{DeskSignIn.FormTokenField}" value="{E(session.FormToken)}">
            {DeskPages.Select(t, "channel", t["Queue.Channel"], null, [.. DeskPages.Channels.Select(c => (c, t["Channel." + c]))], allowAny: false, id: "block-channel")}
            <div><label for="block-id">{E(t["Blocked.ContactId"])}</label><input type="text" id="block-id" name="id" required maxlength="{ContactBlocks.MaxContactIdLength}"></div>
            <div><label for="block-reason-new">{E(t["Blocked.Reason"])}</label><input type="text" id="block-reason-new" name="reason" maxlength="{ContactBlocks.MaxReasonLength}"></div>
            <button type="submit" class="danger">{E(t["Blocked.Block"])}</button>
            </form>
            <p class="hint">{E(t["Blocked.Explain"])}</p>

            """);
        return DeskLayout.Render(t, t["Blocked.ListTitle"], DeskPaths.Blocked, session, body.ToString(), DeskPaths.Blocked);
    }

    /// <summary>The unblock button; <paramref name="ticketId"/>, from a ticket's page, is where to come back to.</summary>
    public static string UnblockForm(DeskTexts t, DeskSession session, string channel, string contactId, string? ticketId) => $"""
        <form method="post" action="{DeskPaths.Blocked}/remove"><input type="hidden" name="{DeskSignIn.FormTokenField}" value="{E(session.FormToken)}"><input type="hidden" name="channel" value="{E(channel)}"><input type="hidden" name="id" value="{E(contactId)}">{(ticketId is null ? "" : $"""<input type="hidden" name="ticket" value="{E(ticketId)}">""")}<button type="submit" class="secondary">{E(t["Blocked.Unblock"])}</button></form>
        """;
}
