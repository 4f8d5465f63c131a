using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Intake.Tickets;

namespace Intake.Benchmarks.Chaos;

/// <summary>
/// What one channel's clients and fake provider saw: every answer by status (0: no whole answer, the server died or
/// did not answer in time), the messages never answered within a minute after the faults, and the sends the provider
/// refused during its outage.
/// </summary>
internal sealed record ChannelCounts(IReadOnlyDictionary<int, int> Answers, int Unanswered, int ProviderRefused)
{
    public int Requests => Answers.Values.Sum();
}

/// <summary>What the run saw besides the accepted messages: per channel, the refusals, and when the faults ended and how long the acknowledgements took.</summary>
internal sealed record ChaosCounts(
    IReadOnlyDictionary<ChaosChannel, ChannelCounts> Channels, IReadOnlyList<string> Refused, TimeSpan FaultsOver, TimeSpan AckWaited);

/// <summary>
/// One channel's figures. The lists hold ticket ids, but <see cref="Lost"/> on a webhook channel, where no answer
/// names the ticket, holds the contact id (chat id, PSID) that has no ticket.
/// </summary>
internal sealed record ChannelFigures(
    ChaosChannel Channel,
    int Accepted,
    IReadOnlyList<string> Lost,
    IReadOnlyList<string> DuplicateTickets,
    IReadOnlyList<string> SharedTickets,
    IReadOnlyList<string> MissingAcknowledgements,
    IReadOnlyList<string> DuplicateAcknowledgements,
    IReadOnlyDictionary<string, int> MissingStatuses,
    IReadOnlyDictionary<string, int> DuplicateStatuses,
    ChannelCounts Counts)
{
    public bool InvariantHeld => NothingLost && DuplicateAcknowledgements.Count == 0;

    public bool NothingLost => Lost.Count == 0 && DuplicateTickets.Count == 0 && SharedTickets.Count == 0 && MissingAcknowledgements.Count == 0;
}

/// <summary>
/// The invariant checked from outside, per channel. Every message answered 202 (web form) or 200 (Telegram, Meta) has
/// exactly one ticket, found through the agent API: on the web form the ticket its answer named, with no other ticket
/// for its address and no other submission sharing it; on a webhook the one ticket of its chat id or PSID (each message
/// comes from a contact of its own, so the tickets of that contact are the tickets of that message). And that ticket
/// got exactly one acknowledgement at the fake provider: one mail with its <c>ticketId</c>, one <c>sendMessage</c> to
/// its chat, one Send API message to its PSID.
/// </summary>
internal sealed record ChaosReport(
    ChaosPlan Plan,
    IReadOnlyList<ChannelFigures> Channels,
    ChaosCounts Counts,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Timeline,
    IReadOnlyList<string> Examples)
{
    public int Accepted => Channels.Sum(c => c.Accepted);

    public bool InvariantHeld => Channels.All(c => c.InvariantHeld);

    /// <summary>
    /// The invariant but for duplicate acknowledgements: what a kill between the provider's acceptance and our mark is
    /// documented to cost (docs/pipeline.md: a duplicate, never a loss), so the suite, whose kills land at random, holds this.
    /// </summary>
    public bool NothingLost => Channels.All(c => c.NothingLost);

    /// <summary>True when the run did what it should to test anything: messages accepted on every channel, none refused or left unanswered.</summary>
    public bool RunWorked => Channels.Count > 0 && Channels.All(c => c.Accepted > 0 && c.Counts.Unanswered == 0) && Counts.Refused.Count == 0;

    public static async Task<ChaosReport> CheckAsync(
        ChaosPlan plan,
        IReadOnlyList<AcceptedMessage> accepted,
        IReadOnlyDictionary<ChaosChannel, IReadOnlyList<JsonElement>> listed,
        Func<AcceptedMessage, int> acknowledgements,
        Func<string, Task<JsonElement?>> getTicket,
        IReadOnlyList<string> notes,
        IReadOnlyList<string> timeline,
        ChaosCounts counts)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(listed);
        ArgumentNullException.ThrowIfNull(acknowledgements);
        ArgumentNullException.ThrowIfNull(getTicket);
        ArgumentNullException.ThrowIfNull(counts);

        var channels = new List<ChannelFigures>();
        var examples = new List<string>();
        foreach (var channel in plan.Channels)
        {
            var (figures, channelExamples) = await CheckChannelAsync(
                channel, [.. accepted.Where(a => a.Channel == channel)], listed[channel], acknowledgements, getTicket, counts.Channels[channel]).ConfigureAwait(false);
            channels.Add(figures);
            examples.AddRange(channelExamples);
        }

        return new ChaosReport(plan, channels, counts, notes, timeline, examples);
    }

    private static async Task<(ChannelFigures Figures, List<string> Examples)> CheckChannelAsync(
        ChaosChannel channel,
        List<AcceptedMessage> accepted,
        IReadOnlyList<JsonElement> listed,
        Func<AcceptedMessage, int> acknowledgements,
        Func<string, Task<JsonElement?>> getTicket,
        ChannelCounts counts)
    {
        // The web form's contact is the address typed in (any case); a webhook's the chat id or PSID.
        var web = channel == ChaosChannel.Web;
        var byContact = listed
            .GroupBy(t => ContactOf(t, web), web ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(t => t.GetProperty("id").GetString()!).ToList(), web ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        var lost = new List<string>();
        var duplicates = new List<string>();
        var missing = new List<string>();
        var twice = new List<string>();
        var ticketOf = new Dictionary<string, AcceptedMessage>(StringComparer.Ordinal);
        foreach (var message in accepted)
        {
            var ids = byContact.GetValueOrDefault(message.Contact) ?? [];
            string? ticket;
            if (web)
            {
                ticket = message.TicketId!;
                if (!ids.Contains(ticket) && await getTicket(ticket).ConfigureAwait(false) is null)
                {
                    lost.Add(ticket);
                    ticket = null;
                }

                duplicates.AddRange(ids.Where(id => id != message.TicketId));
            }
            else
            {
                ticket = ids.FirstOrDefault();
                if (ticket is null)
                {
                    lost.Add(message.Contact);
                }

                duplicates.AddRange(ids.Skip(1));
            }

            if (ticket is null)
            {
                continue;
            }

            ticketOf.TryAdd(ticket, message);
            var sent = acknowledgements(message);
            if (sent == 0)
            {
                missing.Add(ticket);
            }
            else if (sent > 1)
            {
                twice.Add(ticket);
            }
        }

        // Only the web form's answer names a ticket that another submission's answer might name too.
        var shared = web
            ? accepted.GroupBy(a => a.TicketId!, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList()
            : [];
        missing = [.. missing.Distinct(StringComparer.Ordinal)];
        twice = [.. twice.Distinct(StringComparer.Ordinal)];

        var examples = new List<string>();
        foreach (var (what, ids) in new[] { ("lost", lost), ("duplicate ticket", duplicates), ("shared", shared), ("no acknowledgement", missing), ("two acknowledgements", twice) })
        {
            foreach (var id in ids.Take(5))
            {
                var message = ticketOf.GetValueOrDefault(id) ?? accepted.FirstOrDefault(a => a.TicketId == id || a.Contact == id);
                var ticket = what == "lost" && !web ? null : await getTicket(id).ConfigureAwait(false);
                var flags = ticket is { } t && t.TryGetProperty("flags", out var f) ? string.Join(",", f.EnumerateArray().Select(x => x.GetString())) : "";
                var name = what == "lost" && !web ? $"contact {id}" : $"ticket {id}";
                examples.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{channel.Name()} {what}: {name}, first sent at {message?.FirstSent.TotalSeconds:0.0} s, answered {(int)AnsweredStatus(channel)} at {message?.AcceptedAt.TotalSeconds:0.0} s after {message?.Attempts} attempts; flags [{flags}]"));
            }
        }

        var figures = new ChannelFigures(
            channel, accepted.Count, lost, duplicates, shared, missing, twice,
            await StatusesAsync(missing, getTicket).ConfigureAwait(false),
            await StatusesAsync(twice, getTicket).ConfigureAwait(false),
            counts);
        return (figures, examples);
    }

    private static string ContactOf(JsonElement ticket, bool web)
    {
        var contact = ticket.GetProperty("contact");
        return (web ? contact.GetProperty("email").GetString() : contact.GetProperty("id").GetString()) ?? "";
    }

    private static HttpStatusCode AnsweredStatus(ChaosChannel channel) => channel == ChaosChannel.Web ? HttpStatusCode.Accepted : HttpStatusCode.OK;

    /// <summary>How many of <paramref name="ids"/> have their acknowledgement's outbound record in each status.</summary>
    private static async Task<IReadOnlyDictionary<string, int>> StatusesAsync(IReadOnlyList<string> ids, Func<string, Task<JsonElement?>> getTicket)
    {
        var statuses = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var ticket = await getTicket(id).ConfigureAwait(false);
            var records = ticket is { } found && found.TryGetProperty("outbound", out var outbound) && outbound.ValueKind == JsonValueKind.Array
                ? outbound.EnumerateArray().Where(o => o.GetProperty("kind").GetString() == OutboundKinds.Acknowledgement)
                    .Select(o => o.GetProperty("status").GetString() ?? "?").ToList()
                : [];
            var status = records.Count == 0 ? "no record" : string.Join("+", records);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
        }

        return statuses;
    }

    public string Format()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Fault run: {Plan.Clients} client{(Plan.Clients == 1 ? "" : "s")} on each of {string.Join(", ", Plan.Channels.Select(ch => ch.Name()))}; "
            + $"{Plan.Kills} SIGKILLs in {Plan.KillPhase.TotalSeconds:0} s (seed {Plan.Seed}); "
            + $"providers refuse sends for {Plan.ProviderOutage.TotalSeconds:0} s; Azurite stopped for {Plan.StorageOutage.TotalSeconds:0} s; "
            + $"Worker:Visibility {Plan.Visibility.TotalSeconds:0} s.");
        text.Append(c, $"  {"",-36}");
        foreach (var channel in Channels)
        {
            text.Append(c, $"{channel.Channel.Name(),10}");
        }

        text.AppendLine(c, $"{"total",10}");
        Row("accepted (web 202, webhooks 200)", f => f.Accepted);
        Row("requests", f => f.Counts.Requests);
        Row("lost (accepted, no ticket)", f => f.Lost.Count);
        Row("duplicate tickets", f => f.DuplicateTickets.Count);
        Row("tickets shared by messages", f => f.SharedTickets.Count);
        Row("missing acknowledgements", f => f.MissingAcknowledgements.Count);
        Row("duplicate acknowledgements", f => f.DuplicateAcknowledgements.Count);
        Row("sends refused in the provider outage", f => f.Counts.ProviderRefused);
        foreach (var channel in Channels)
        {
            var answers = string.Join(", ", channel.Counts.Answers.Select(a => string.Create(c, $"{(a.Key == 0 ? "none" : a.Key.ToString(c))} ×{a.Value:N0}")));
            text.AppendLine(c, $"  {channel.Channel.Name()} answers: {answers}");
            if (channel.MissingStatuses.Count > 0)
            {
                text.AppendLine(c, $"  {channel.Channel.Name()} missing acknowledgements, outbound status: {Statuses(channel.MissingStatuses)}");
            }

            if (channel.DuplicateStatuses.Count > 0)
            {
                text.AppendLine(c, $"  {channel.Channel.Name()} duplicate acknowledgements, outbound status: {Statuses(channel.DuplicateStatuses)}");
            }
        }

        text.AppendLine(c, $"  faults over after {Counts.FaultsOver.TotalSeconds:0} s; acknowledgements waited for {Counts.AckWaited.TotalSeconds:0} s (at most {Plan.AckWait.TotalSeconds:0})");
        foreach (var channel in Channels.Where(ch => ch.Counts.Unanswered > 0))
        {
            text.AppendLine(c, $"  RUN FAILED: {channel.Counts.Unanswered} {channel.Channel.Name()} messages never answered within a minute after the faults");
        }

        foreach (var refused in Counts.Refused.Take(5))
        {
            text.AppendLine(c, $"  RUN FAILED: refused {refused}");
        }

        foreach (var note in Notes)
        {
            text.AppendLine(c, $"  note: {note}");
        }

        foreach (var example in Examples)
        {
            text.AppendLine(c, $"  {example}");
        }

        text.Append(InvariantHeld ? "Invariant held." : "INVARIANT BROKEN.");
        return text.ToString();

        void Row(string label, Func<ChannelFigures, int> figure)
        {
            text.Append(c, $"  {label,-36}");
            foreach (var channel in Channels)
            {
                text.Append(c, $"{figure(channel),10:N0}");
            }

            text.AppendLine(c, $"{Channels.Sum(figure),10:N0}");
        }

        static string Statuses(IReadOnlyDictionary<string, int> statuses) =>
            string.Join(", ", statuses.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value}")));
    }
}
