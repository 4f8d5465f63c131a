using Intake.Channels.X;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tickets;
using Microsoft.Extensions.Hosting;

namespace Intake.Tests.Channels.X;

/// <summary>The X sender over real HTTP against the in-process fake X API, with the webhook's secret set as in production.</summary>
internal sealed class XReplySenderRig : ReplySenderRig
{
    public const string ConsumerSecret = "x-consumer-secret-for-tests";

    public FakeX X { get; } = new();

    public override string Channel => "x";

    public override string BaseUrlKey => "X:BaseUrl";

    public override OutboundReply Reply { get; } = new(
        TicketId, "T-ABC234", new Contact("x", "4455667788", "Ada"), "en", "acknowledgement", "[T-ABC234] We have received your message",
        "We opened ticket T-ABC234. Support never asks for your recovery phrase.", Automatic: true)
    {
        InReplyTo = "1630000000000000001",
    };

    public override int RefusalStatus => 403;

    public override IReadOnlyList<string> Secrets => [FakeX.AccessToken, ConsumerSecret];

    public override IReadOnlyList<string> CustomerData => ["We opened ticket"];

    public override int RequestCount => X.Requests.Count;

    public override Dictionary<string, string?> Configured() =>
        X.Settings(ConsumerSecret).ToDictionary(pair => pair.Key, pair => (string?)pair.Value);

    public override void RefuseNext(int status) => X.RespondNextWith(status);

    // The fake's problem details quote the request back, as a real API may.
    public override string RefusalAnswer(int status) => "You sent";

    /// <summary>A 429 with a short <c>Retry-After</c> is waited out once; anything else is the queue's to retry.</summary>
    public override int Attempts(int status) => status == 429 ? 2 : 1;

    public override Task StartFakeAsync(CancellationToken cancellationToken) => X.StartAsync(cancellationToken);

    protected override ValueTask DisposeFakeAsync() => X.DisposeAsync();

    protected override void AddChannel(IHostApplicationBuilder builder) => builder.AddXChannel();

    protected override void RespondNextWith(int status, int times) => X.RespondNextWith(status, times);
}
