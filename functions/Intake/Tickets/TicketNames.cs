using System.Text.Json;
using System.Text.Json.Serialization;
using Intake.Triage;

namespace Intake.Tickets;

public static class TicketNames
{
    private static readonly string[] StatusNames = ["new", "open", "waiting_on_customer", "resolved", "closed"];

    public static string ToName(this TicketStatus status) => StatusNames[(int)status];

    private static readonly string[] OutboundNames = ["pending", "sent", "failed", "not_configured", "bounced", "window_closed", "suppressed"];

    public static string ToName(this OutboundStatus status) => OutboundNames[(int)status];

    public static OutboundStatus ParseOutboundStatus(string? name)
    {
        var index = Array.IndexOf(OutboundNames, name);
        return index < 0 ? OutboundStatus.Failed : (OutboundStatus)index;
    }

    public static bool TryParseStatus(string? name, out TicketStatus status)
    {
        var index = Array.IndexOf(StatusNames, name);
        status = index < 0 ? TicketStatus.Open : (TicketStatus)index;
        return index >= 0;
    }

    public static TicketStatus ParseStatus(string? name)
    {
        var index = Array.IndexOf(StatusNames, name);
        return index < 0 ? TicketStatus.Open : (TicketStatus)index;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, int>))]
[JsonSerializable(typeof(TriageEntities))]
[JsonSerializable(typeof(MessageDetails))]
[JsonSerializable(typeof(IReadOnlyList<SlaEvent>))]
internal sealed partial class TicketJsonContext : JsonSerializerContext;
