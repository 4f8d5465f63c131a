using Intake.Channels.Meta;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tickets;
using Microsoft.Extensions.Hosting;

namespace Intake.Tests.Channels.Meta;

/// <summary>
/// Messenger, Instagram and WhatsApp: three senders, one registration and one fake Graph API. The rig stands for
/// <c>channel</c>'s sender; the other two are in the same host, for the tests that ask for them by channel.
/// </summary>
internal sealed class MetaReplySenderRig(string channel) : ReplySenderRig
{
    public const string Psid = "6543210987654321";
    public const string WaId = "4915112345678";

    public FakeGraph Graph { get; } = new();

    public override string Channel => channel;

    public override string BaseUrlKey => "Meta:BaseUrl";

    public override OutboundReply Reply { get; } = new(
        TicketId, "T-ABC234", new Contact(channel, channel == "whatsapp" ? WaId : Psid, "Ana"), "en", "acknowledgement",
        "[T-ABC234] We have received your message",
        "We opened ticket T-ABC234. Freeze it in the app (Account > Security) & never share your <password>.", Automatic: true)
    {
        InReplyTo = "m_1",
        CustomerWroteAt = DateTimeOffset.UtcNow,
    };

    public override int RefusalStatus => 403;

    public override IReadOnlyList<string> Secrets => [FakeGraph.PageAccessToken, FakeGraph.WhatsAppToken];

    public override IReadOnlyList<string> CustomerData => ["We opened ticket", WaId];

    public override int RequestCount => Graph.Requests.Count;

    public override Dictionary<string, string?> Configured() =>
        Graph.Settings("app-secret", "verify-token").ToDictionary(pair => pair.Key, pair => (string?)pair.Value);

    public override void RefuseNext(int status) => Graph.RespondNextWith(status);

    // The fake's error, as Graph's own, says which parameter it disliked.
    public override string RefusalAnswer(int status) => "Invalid parameter";

    /// <summary>The first try and the HttpClient's own retries.</summary>
    public override int Attempts(int status) => GraphApi.MaxRetryAttempts + 1;

    public override Task StartFakeAsync(CancellationToken cancellationToken) => Graph.StartAsync(cancellationToken);

    protected override ValueTask DisposeFakeAsync() => Graph.DisposeAsync();

    protected override void AddChannel(IHostApplicationBuilder builder) => builder.AddMetaChannels();

    protected override void RespondNextWith(int status, int times) => Graph.RespondNextWith(status, times);
}
