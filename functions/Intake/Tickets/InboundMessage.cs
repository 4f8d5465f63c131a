namespace Intake.Tickets;

/// <summary>
/// A customer message as a channel hands it over, already parsed and checked, however long (intake redacts, then cuts).
/// <see cref="Text"/> is what triage reads (for email, the new text without quoted history or signature);
/// <see cref="StoredText"/>, when given, is what the thread keeps instead (the full body), redacted by a pass that sees
/// the subject with it and never keeping what triage redacted in <see cref="Text"/>. Names (the contact's, attachments')
/// are redacted too. <see cref="ProviderMessageId"/> is the channel's id
/// for it (dedupe); <see cref="JoinTicketId"/> a ticket the channel has already matched it to;
/// <see cref="JoinOpenTicket"/> false where a new message is a new ticket unless it names one (the web form).
/// <see cref="Flags"/> are the channel's own findings for a new ticket (<see cref="ChannelFlags"/>);
/// <see cref="ReplyToId"/> the channel's id an answer should refer to.
/// </summary>
public sealed record InboundMessage(
    string Channel,
    Contact Contact,
    string Text,
    string? Subject = null,
    string? ProviderMessageId = null,
    string? LanguageHint = null,
    string? JoinTicketId = null,
    bool JoinOpenTicket = true)
{
    public string? StoredText { get; init; }

    public MessageDetails? Details { get; init; }

    public IReadOnlyList<string> Flags { get; init; } = [];

    public string? ReplyToId { get; init; }

    /// <summary>
    /// The provider id of the message this one edits, where the channel's edit names it (Messenger's <c>mid</c>, WhatsApp's
    /// <c>wamid</c>): the edit joins that message's ticket, as long as it is the same contact's, rather than whichever
    /// ticket the contact has open now.
    /// </summary>
    public string? EditsProviderMessageId { get; init; }

    /// <summary>Whether the channel proved the sender owns the contact's address: null where the channel authenticates senders itself (Telegram, Meta, X); true for email whose SPF or DKIM passed for the sender's domain; false where nothing proved it (the web form, unauthenticated email).</summary>
    public bool? SenderVerified { get; init; }

    /// <summary>
    /// Secrets the channel found in what it withheld from the message rather than store it (email attachments), by kind
    /// (<c>mnemonic</c>, <c>private_key</c>...), each withheld item counted once. Counted as redactions; an exposing kind
    /// flags the ticket <c>secret_exposed</c> and makes it urgent, as the same secret in the text would.
    /// </summary>
    public IReadOnlyDictionary<string, int> WithheldSecrets { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// The language the customer chose for our answers (the support form's "language of our replies"); it wins over
    /// what triage reads when Intake speaks it. <see cref="LanguageHint"/> (a client's language setting) only decides
    /// when the text is too short or too unclear to tell (<see cref="TicketLanguage"/>).
    /// </summary>
    public string? ChosenLanguage { get; init; }

    /// <summary>A ticket the message names but may not join (its sender was not proven to be that ticket's contact): a new ticket links to it.</summary>
    public string? LinkTicketId { get; init; }
}
