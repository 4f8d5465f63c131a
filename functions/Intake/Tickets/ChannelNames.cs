namespace Intake.Tickets;

/// <summary>
/// The channels' names, as tickets, contacts, outbound records, queue messages and the JSON API carry them: the values
/// are stored and sent, so they never change.
/// </summary>
public static class ChannelNames
{
    public const string Email = "email";
    public const string Telegram = "telegram";
    public const string Web = "web";
    public const string Messenger = "messenger";
    public const string Instagram = "instagram";
    public const string WhatsApp = "whatsapp";
    public const string X = "x";

    /// <summary>Every channel, for checking a name that comes from outside (the agent API).</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Email, Telegram, Web, Messenger, Instagram, WhatsApp, X };
}
