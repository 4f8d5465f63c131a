using System.Collections.Concurrent;
using System.Globalization;
using Intake.Texts;
using Intake.Tickets;
using Intake.Triage;
using Intake.Web.Pages;
using Microsoft.Net.Http.Headers;

namespace Intake.Channels.WebForm;

/// <summary>
/// What the support pages say, read from the customer texts (<see cref="CustomerTexts"/>, keys <c>Page.*</c>) once per
/// language. Field errors come from <see cref="WebFormSubmission.Validate"/> and <see cref="WebFormIntake"/> in English;
/// <see cref="Error"/> translates the ones it knows and leaves any other as it is.
/// </summary>
internal sealed record PageTexts
{
    public required string Code { get; init; }

    /// <summary>The language's name in itself, for the language switch.</summary>
    public required string NativeName { get; init; }

    public required string LanguageSwitch { get; init; }
    public required string FormTitle { get; init; }
    public required string FormIntro { get; init; }
    public required string NeverAsk { get; init; }
    public required string Required { get; init; }
    public required string Optional { get; init; }
    public required string MessageLabel { get; init; }
    public required string MessageHint { get; init; }
    public required string NameLabel { get; init; }
    public required string EmailLabel { get; init; }
    public required string EmailHint { get; init; }
    public required string SubjectLabel { get; init; }
    public required string ReplyLanguageLabel { get; init; }
    public required string ReplyLanguageAuto { get; init; }
    public required string ExistingTicket { get; init; }
    public required string ReferenceLabel { get; init; }
    public required string ReferenceHint { get; init; }
    public required string Honeypot { get; init; }
    public required string Send { get; init; }
    public required string ErrorTitlePrefix { get; init; }
    public required string ErrorSummary { get; init; }
    public required string ThanksTitle { get; init; }
    public required string ThanksText { get; init; }

    /// <summary>The answer to a follow-up by reference and address: it says nothing of any ticket.</summary>
    public required string ReceivedText { get; init; }
    public required string TooManyTitle { get; init; }
    public required Func<int, string> TooManyText { get; init; }
    public required string TooLargeTitle { get; init; }
    public required string TooLargeText { get; init; }
    public required string UnreadableTitle { get; init; }
    public required string UnreadableText { get; init; }
    public required string NotFoundTitle { get; init; }
    public required string NotFoundText { get; init; }
    public required string BackToForm { get; init; }
    public required Func<string, string> StatusTitle { get; init; }
    public required string KeepLinkPrivate { get; init; }
    public required string ReferenceTerm { get; init; }
    public required string StatusTerm { get; init; }
    public required string CategoryTerm { get; init; }
    public required string CreatedTerm { get; init; }
    public required string AcknowledgementTerm { get; init; }
    public required string MessagesHeading { get; init; }
    public required string FromCustomer { get; init; }
    public required string FromSupport { get; init; }
    public required string FollowUpHeading { get; init; }
    public required string FollowUpLabel { get; init; }
    public required string ByEmail { get; init; }
    public required string NotYetSent { get; init; }

    /// <summary>On the status page of a ticket whose address is unproven, above the thread.</summary>
    public required string UnverifiedNote { get; init; }

    /// <summary>In place of our answer's text on the status page of a ticket whose address is unproven.</summary>
    public required string RepliedByEmail { get; init; }

    public required string VerifyTitle { get; init; }
    public required Func<string, string> VerifyText { get; init; }
    public required string VerifyButton { get; init; }
    public required string BusyTitle { get; init; }
    public required string BusyText { get; init; }

    /// <summary>Between who wrote a message and when.</summary>
    public required string Comma { get; init; }

    /// <summary>Indexed by <see cref="TicketStatus"/>.</summary>
    public required IReadOnlyList<string> Statuses { get; init; }

    /// <summary>Indexed by <see cref="TicketCategory"/>.</summary>
    public required IReadOnlyList<string> Categories { get; init; }

    /// <summary>Indexed by <see cref="OutboundStatus"/>.</summary>
    public required IReadOnlyList<string> Deliveries { get; init; }

    /// <summary>Field names as the error summary shows them, by form field.</summary>
    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    /// <summary>Translations of the English field errors, keyed by the English text.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    public string Status(TicketStatus status) => Statuses[(int)status];

    public string Category(TicketCategory category) => Categories[(int)category];

    public string Delivery(OutboundStatus status) => Deliveries[(int)status];

    public string Error(string english) => Errors.GetValueOrDefault(english, english);

    public string Field(string name) => Fields.GetValueOrDefault(name, name);

    /// <summary>Every language the pages speak, English first (<see cref="CustomerTexts.Available"/>).</summary>
    public static IReadOnlyList<PageTexts> All => [.. CustomerTexts.Available.Select(ForTicket)];

    /// <summary>The texts for a language tag (<see cref="PageLanguages.ForTag"/>); null for a language the pages do not speak.</summary>
    public static PageTexts? ForTag(string? tag) => PageLanguages.ForTag(tag) is { } code ? ForTicket(code) : null;

    /// <summary>The texts of the first of the client's languages that the pages speak (<see cref="PageLanguages.Negotiate"/>).</summary>
    public static PageTexts Negotiate(IEnumerable<StringWithQualityHeaderValue> acceptLanguage) => ForTicket(PageLanguages.Negotiate(acceptLanguage));

    /// <summary>The texts of a ticket's language; English for one the pages do not speak.</summary>
    public static PageTexts ForTicket(string language) => Cache.GetOrAdd(CustomerTexts.Speaks(language) ? language : PageLanguages.English, Load);

    public static PageTexts English => ForTicket(PageLanguages.English);

    private static readonly ConcurrentDictionary<string, PageTexts> Cache = new(StringComparer.Ordinal);

    private static readonly string[] FieldNames = ["message", "name", "email", "subject", "reference", "language", "reply_language"];

    /// <summary>The field errors <see cref="WebFormSubmission.Validate"/> and <see cref="WebFormIntake"/> give in English, by their English text.</summary>
    private static readonly Dictionary<string, string> ErrorKeys = new[]
    {
        "MessageRequired", "MessageTooLong", "FieldTooLong", "EmailInvalid", "LanguageInvalid", "ReferenceInvalid", "EmailNeeded",
    }.ToDictionary(key => (string)CustomerTexts.For("en")["Page.Error." + key, WebFormSubmission.MaxMessageLength.ToString("N0", CultureInfo.InvariantCulture)], key => key, StringComparer.Ordinal);

    private static PageTexts Load(string language)
    {
        var t = CustomerTexts.For(language);
        var culture = CultureInfo.GetCultureInfo(language);
        string P(string name) => t["Page." + name];
        return new PageTexts
        {
            Code = language,
            NativeName = P("NativeName"),
            LanguageSwitch = P("LanguageSwitch"),
            FormTitle = P("FormTitle"),
            FormIntro = P("FormIntro"),
            NeverAsk = P("NeverAsk"),
            Required = P("Required"),
            Optional = P("Optional"),
            MessageLabel = P("MessageLabel"),
            MessageHint = P("MessageHint"),
            NameLabel = P("NameLabel"),
            EmailLabel = P("EmailLabel"),
            EmailHint = P("EmailHint"),
            SubjectLabel = P("SubjectLabel"),
            ReplyLanguageLabel = P("ReplyLanguageLabel"),
            ReplyLanguageAuto = P("ReplyLanguageAuto"),
            ExistingTicket = P("ExistingTicket"),
            ReferenceLabel = P("ReferenceLabel"),
            ReferenceHint = P("ReferenceHint"),
            Honeypot = P("Honeypot"),
            Send = P("Send"),
            ErrorTitlePrefix = P("ErrorTitlePrefix"),
            ErrorSummary = P("ErrorSummary"),
            ThanksTitle = P("ThanksTitle"),
            ThanksText = P("ThanksText"),
            ReceivedText = P("ReceivedText"),
            TooManyTitle = P("TooManyTitle"),
            TooManyText = minutes => t["Page.TooManyText", minutes],
            TooLargeTitle = P("TooLargeTitle"),
            TooLargeText = t["Page.TooLargeText", WebFormSubmission.MaxBodyBytes / 1024],
            UnreadableTitle = P("UnreadableTitle"),
            UnreadableText = P("UnreadableText"),
            NotFoundTitle = P("NotFoundTitle"),
            NotFoundText = P("NotFoundText"),
            BackToForm = P("BackToForm"),
            StatusTitle = reference => t["Page.StatusTitle", reference],
            KeepLinkPrivate = P("KeepLinkPrivate"),
            ReferenceTerm = P("ReferenceTerm"),
            StatusTerm = P("StatusTerm"),
            CategoryTerm = P("CategoryTerm"),
            CreatedTerm = P("CreatedTerm"),
            AcknowledgementTerm = P("AcknowledgementTerm"),
            MessagesHeading = P("MessagesHeading"),
            FromCustomer = P("FromCustomer"),
            FromSupport = P("FromSupport"),
            FollowUpHeading = P("FollowUpHeading"),
            FollowUpLabel = P("FollowUpLabel"),
            ByEmail = P("ByEmail"),
            NotYetSent = P("NotYetSent"),
            UnverifiedNote = P("UnverifiedNote"),
            RepliedByEmail = P("RepliedByEmail"),
            VerifyTitle = P("VerifyTitle"),
            VerifyText = reference => t["Page.VerifyText", reference],
            VerifyButton = P("VerifyButton"),
            BusyTitle = P("BusyTitle"),
            BusyText = P("BusyText"),
            Comma = P("Comma"),
            Statuses = [.. Enum.GetValues<TicketStatus>().Select(s => P("Status." + s.ToName()))],
            Categories = [.. Enum.GetValues<TicketCategory>().Select(c => P("Category." + c.ToName()))],
            Deliveries = [.. Enum.GetValues<OutboundStatus>().Select(d => P("Delivery." + d.ToName()))],
            Fields = FieldNames.ToDictionary(f => f, f => P("Field." + f), StringComparer.Ordinal),
            Errors = ErrorKeys.ToDictionary(
                e => e.Key,
                e => (string)t["Page.Error." + e.Value, WebFormSubmission.MaxMessageLength.ToString("N0", culture)],
                StringComparer.Ordinal),
        };
    }
}
