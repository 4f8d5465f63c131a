namespace Intake.Outbound;

/// <summary>
/// The customer-service window of Messenger, Instagram and WhatsApp: a free-form message is allowed only for a while
/// after the customer last wrote. The Meta senders apply it to every message, and a feature that decides whether to send
/// at all (the survey's thank-you) reads it here, without reaching into a channel.
/// </summary>
internal static class MessagingWindows
{
    /// <summary>Free-form messages are allowed only this long after the customer last wrote.</summary>
    public static readonly TimeSpan ReplyWindow = TimeSpan.FromHours(24);

    /// <summary>Whether the customer last wrote too long ago (or never) for a free-form message.</summary>
    public static bool IsClosed(DateTimeOffset? customerWroteAt, DateTimeOffset now) =>
        customerWroteAt is not { } wrote || now - wrote >= ReplyWindow;
}
