using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Intake.Triage;

namespace Intake.Tickets;

/// <summary>
/// What an agent lists tickets by; every part optional. <see cref="Statuses"/>, when given, lists those statuses as one
/// list (the desk's queue of new, open and waiting tickets, most urgent first whatever their status); otherwise
/// <see cref="Status"/> one status, or every status one after the other.
/// </summary>
public sealed record TicketQuery(
    TicketStatus? Status = null,
    Urgency? Urgency = null,
    string? Channel = null,
    TicketCategory? Category = null,
    int PageSize = 25,
    string? ContinuationToken = null,
    string? Language = null,
    IReadOnlyList<TicketStatus>? Statuses = null);

/// <summary>One page of tickets, and the token for the next one (null on the last page): the status listed and the last row shown.</summary>
public sealed record TicketPage(IReadOnlyList<Ticket> Tickets, string? ContinuationToken)
{
    internal static string MakeToken(int statusIndex, string? lastRowKey) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{statusIndex.ToString(CultureInfo.InvariantCulture)}:{lastRowKey}"));

    /// <summary>Reads a token back; a damaged one starts from the beginning rather than failing.</summary>
    internal static (int StatusIndex, string? LastRowKey) ParseToken(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048)
        {
            return (0, null);
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index is >= 0 and < 8
                ? (index, colon + 1 < text.Length ? text[(colon + 1)..] : null)
                : (0, null);
        }
        catch (FormatException)
        {
            return (0, null);
        }
    }
}
