using System.Buffers.Text;
using System.Security.Cryptography;

namespace Intake.Tickets;

/// <summary>
/// Whether the customer is who the ticket's address says, and what proving it changes. A contact is unverified when
/// the channel that opened the ticket could not prove the sender owns the address (<see cref="InboundMessage.SenderVerified"/>
/// false: the web form, unauthenticated mail). The owner proves it with the verify link of our mail, or by a reply
/// whose SPF or DKIM passed from that address; then the ticket's status-link nonce changes, so that no link given out
/// before (to whoever typed the address into the form) keeps working. Pure, but for the nonce's randomness.
/// </summary>
public static class ContactVerification
{
    /// <summary>Listed among the ticket's flags for agents while the contact is unverified; derived, never stored.</summary>
    public const string UnverifiedFlag = "unverified_contact";

    /// <summary>The message detail that says whether the channel proved this message's sender owns the contact's address.</summary>
    public const string SenderVerifiedKey = "senderVerified";

    /// <summary>How the address was proved, as the audit entry's detail.</summary>
    public const string ByLink = "link";

    public const string ByEmail = "email";

    /// <summary>A fresh status-link nonce: 128 random bits.</summary>
    public static string NewNonce() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The ticket once its contact is proved: verified, with a new nonce that kills every earlier status link.</summary>
    public static Ticket Verified(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return ticket with { Contact = ticket.Contact with { Verified = true }, StatusNonce = NewNonce() };
    }

    /// <summary>The verify link was posted: the change to write, or null when the contact is verified already (nothing to do).</summary>
    public static TicketChange? ByVerifyLink(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return ticket.Contact.Verified ? null : new TicketChange(Verified(ticket), [Audit(ByLink)]);
    }

    /// <summary>
    /// A follow-up joined the ticket: it proves the contact when the channel proved its sender
    /// (<see cref="InboundMessage.SenderVerified"/> true) and the sender's address is the contact's.
    /// </summary>
    public static Ticket OnFollowUp(Ticket ticket, InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(message);
        return !ticket.Contact.Verified && message.SenderVerified == true && SameAddress(ticket.Contact.Email, message.Contact.Email)
            ? Verified(ticket)
            : ticket;
    }

    /// <summary>The audit entry of a follow-up that proved the contact, decided on the ticket as it was written.</summary>
    public static IReadOnlyList<TicketAudit> AuditOf(Ticket before, Ticket after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return !before.Contact.Verified && after.Contact.Verified ? [Audit(ByEmail)] : [];
    }

    /// <summary>The message's details with <see cref="SenderVerifiedKey"/> added when the channel said anything about its sender.</summary>
    public static MessageDetails? DetailsOf(InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.SenderVerified is not { } verified)
        {
            return message.Details;
        }

        var details = message.Details ?? MessageDetails.None;
        var metadata = new Dictionary<string, string>(details.Metadata, StringComparer.Ordinal)
        {
            [SenderVerifiedKey] = verified ? "true" : "false",
        };
        return details with { Metadata = metadata };
    }

    /// <summary>What a stored message says about its sender: null when the channel said nothing.</summary>
    public static bool? SenderVerified(TicketMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Details?.Metadata.GetValueOrDefault(SenderVerifiedKey) switch
        {
            "true" => true,
            "false" => false,
            _ => null,
        };
    }

    /// <summary>
    /// Whether a ticket stored before contacts carried the flag had a verified contact: a web-form ticket with an
    /// address did not (nobody proved it); every other did (the channel authenticates its senders, or there is no address).
    /// </summary>
    public static bool LegacyVerified(string? channel, string? email) => !(channel == ChannelNames.Web && !string.IsNullOrEmpty(email));

    private static TicketAudit Audit(string how) => new(AuditActions.Customer, AuditActions.ContactVerified, how);

    private static bool SameAddress(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) && string.Equals(a.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);
}
