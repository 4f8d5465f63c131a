using System.Globalization;
using System.Text;
using System.Text.Json;
using Intake.Benchmarks.Load;
using Intake.Tickets;

namespace Intake.Benchmarks.Chaos;

/// <summary>What the clients and the fake provider saw during the run, besides the accepted submissions.</summary>
internal sealed record ChaosCounts(
    int Attempts, int Unanswered, IReadOnlyList<string> Refused, int MailsRefused, TimeSpan FaultsOver, TimeSpan AckWaited);

/// <summary>
/// The invariant checked from outside: every submission answered 202 has exactly one ticket (the one its answer
/// named, found through the agent API, and no other ticket for its address) which no other submission shares, and
/// that ticket got exactly one acknowledgement mail at the fake SendGrid.
/// </summary>
internal sealed record ChaosReport(
    ChaosPlan Plan,
    int Accepted,
    IReadOnlyList<string> Lost,
    IReadOnlyList<string> DuplicateTickets,
    IReadOnlyList<string> SharedTickets,
    IReadOnlyList<string> MissingAcknowledgements,
    IReadOnlyList<string> DuplicateAcknowledgements,
    IReadOnlyDictionary<string, int> MissingStatuses,
    IReadOnlyDictionary<string, int> DuplicateStatuses,
    ChaosCounts Counts,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Timeline,
    IReadOnlyList<string> Examples)
{
    public bool InvariantHeld =>
        Lost.Count == 0 && DuplicateTickets.Count == 0 && SharedTickets.Count == 0 && MissingAcknowledgements.Count == 0 && DuplicateAcknowledgements.Count == 0;

    /// <summary>
    /// The invariant but for duplicate acknowledgements: what a kill between the provider's acceptance and our mark is
    /// documented to cost (docs/pipeline.md: a duplicate, never a loss), so the suite, whose kills land at random, holds this.
    /// </summary>
    public bool NothingLost => Lost.Count == 0 && DuplicateTickets.Count == 0 && SharedTickets.Count == 0 && MissingAcknowledgements.Count == 0;

    /// <summary>True when the run did what it should to test anything: submissions accepted, none refused or left unanswered.</summary>
    public bool RunWorked => Accepted > 0 && Counts.Refused.Count == 0 && Counts.Unanswered == 0;

    public static async Task<ChaosReport> CheckAsync(
        ChaosPlan plan,
        IReadOnlyList<AcceptedSubmission> accepted,
        IReadOnlyList<JsonElement> listed,
        ReceivingSendGrid sendGrid,
        Func<string, Task<JsonElement?>> getTicket,
        IReadOnlyList<string> notes,
        IReadOnlyList<string> timeline,
        ChaosCounts counts)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(listed);
        ArgumentNullException.ThrowIfNull(sendGrid);
        ArgumentNullException.ThrowIfNull(getTicket);

        // Each submission has an address of its own, so the tickets for an address are the tickets of one submission.
        var byEmail = listed
            .GroupBy(t => t.GetProperty("contact").GetProperty("email").GetString() ?? "", StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(t => t.GetProperty("id").GetString()!).ToList(), StringComparer.OrdinalIgnoreCase);
        var listedIds = listed.Select(t => t.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);

        var lost = new List<string>();
        var duplicates = new List<string>();
        foreach (var submission in accepted)
        {
            if (!listedIds.Contains(submission.TicketId) && await getTicket(submission.TicketId).ConfigureAwait(false) is null)
            {
                lost.Add(submission.TicketId);
            }

            if (byEmail.TryGetValue(submission.Email, out var ids) && ids.Any(id => id != submission.TicketId))
            {
                duplicates.AddRange(ids.Where(id => id != submission.TicketId));
            }
        }

        var shared = accepted.GroupBy(a => a.TicketId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var tickets = accepted.Select(a => a.TicketId).Except(lost, StringComparer.Ordinal).Distinct(StringComparer.Ordinal).ToList();
        var missing = tickets.Where(id => sendGrid.MailsFor(id) == 0).ToList();
        var twice = tickets.Where(id => sendGrid.MailsFor(id) > 1).ToList();
        var examples = new List<string>();
        foreach (var (what, ids) in new[] { ("lost", lost), ("duplicate ticket", duplicates), ("shared", shared), ("no acknowledgement", missing), ("two acknowledgements", twice) })
        {
            foreach (var id in ids.Take(5))
            {
                var submission = accepted.FirstOrDefault(a => a.TicketId == id);
                var ticket = await getTicket(id).ConfigureAwait(false);
                var flags = ticket is { } t && t.TryGetProperty("flags", out var f) ? string.Join(",", f.EnumerateArray().Select(x => x.GetString())) : "";
                examples.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{what}: ticket {id}, first sent at {submission?.FirstSent.TotalSeconds:0.0} s, answered 202 at {submission?.AcceptedAt.TotalSeconds:0.0} s after {submission?.Attempts} attempts; flags [{flags}]"));
            }
        }

        return new ChaosReport(
            plan, accepted.Count, lost, duplicates, shared, missing, twice,
            await StatusesAsync(missing, getTicket).ConfigureAwait(false),
            await StatusesAsync(twice, getTicket).ConfigureAwait(false),
            counts, notes, timeline, examples);
    }

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
        text.AppendLine(c, $"Fault run: {Plan.Clients} clients; {Plan.Kills} SIGKILLs in {Plan.KillPhase.TotalSeconds:0} s (seed {Plan.Seed}); "
            + $"mail API 503 for {Plan.ProviderOutage.TotalSeconds:0} s; Azurite stopped for {Plan.StorageOutage.TotalSeconds:0} s; "
            + $"Worker:Visibility {Plan.Visibility.TotalSeconds:0} s.");
        text.AppendLine(c, $"  submissions accepted (202)     {Accepted,7}   ({Counts.Attempts} requests; {Counts.MailsRefused} mails answered 503)");
        text.AppendLine(c, $"  lost (accepted, no ticket)     {Lost.Count,7}");
        text.AppendLine(c, $"  duplicate tickets              {DuplicateTickets.Count,7}");
        text.AppendLine(c, $"  tickets shared by submissions  {SharedTickets.Count,7}");
        text.AppendLine(c, $"  missing acknowledgements       {MissingAcknowledgements.Count,7}{Statuses(MissingStatuses)}");
        text.AppendLine(c, $"  duplicate acknowledgements     {DuplicateAcknowledgements.Count,7}{Statuses(DuplicateStatuses)}");
        text.AppendLine(c, $"  faults over after {Counts.FaultsOver.TotalSeconds:0} s; acknowledgements waited for {Counts.AckWaited.TotalSeconds:0} s (at most {Plan.AckWait.TotalSeconds:0})");
        if (Counts.Unanswered > 0)
        {
            text.AppendLine(c, $"  RUN FAILED: {Counts.Unanswered} submissions never answered 202 within a minute after the faults");
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

        static string Statuses(IReadOnlyDictionary<string, int> statuses) =>
            statuses.Count == 0 ? "" : "   outbound status: " + string.Join(", ", statuses.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value}")));
    }
}
