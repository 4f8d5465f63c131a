using Intake.Channels.Email;
using Intake.Channels.Meta;
using Intake.Channels.Telegram;
using Intake.Channels.X;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tickets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Tests.Channels;

/// <summary>
/// One channel's reply sender as <see cref="ReplySenderContractTests"/> drives it: the in-process fake of its provider, the
/// settings that point the sender there, a reply it can send, how to make the provider refuse or fail, and what must never
/// reach a log. The sender is built as the app builds it, by the channel's own <c>Add…Channel</c>, with every log line captured.
/// </summary>
internal abstract class ReplySenderRig : IAsyncDisposable
{
    public const string TicketId = "01JABCDEF0123456789ABCDEFG";

    private readonly List<IHost> hosts = [];

    /// <summary>Every channel with a reply sender; a new sender joins the contract by adding its rig here.</summary>
    public static IReadOnlyList<string> Channels { get; } = ["email", "telegram", "messenger", "instagram", "whatsapp", "x"];

    public CapturedLogs Logs { get; } = new();

    /// <summary>The channel whose sender this is (<see cref="IReplySender.Channel"/>).</summary>
    public abstract string Channel { get; }

    /// <summary>The setting that says where the provider's API lives.</summary>
    public abstract string BaseUrlKey { get; }

    /// <summary>The exact exception an unreachable API gives, where a test has pinned it; else any but a cancellation.</summary>
    public virtual Type? UnreachableFault => null;

    /// <summary>An acknowledgement to a customer of this channel.</summary>
    public abstract OutboundReply Reply { get; }

    /// <summary>What the log line of a message the provider accepted says besides the ticket id.</summary>
    public virtual string SentMarker => "sent";

    /// <summary>The status code the provider refuses with after <see cref="RefuseNext"/>, as the log line gives it.</summary>
    public abstract string RefusalCode { get; }

    /// <summary>Tokens and keys: never in a log, nor in a start-up error.</summary>
    public abstract IReadOnlyList<string> Secrets { get; }

    /// <summary>The customer's words and address: never in a log.</summary>
    public abstract IReadOnlyList<string> CustomerData { get; }

    public static async Task<ReplySenderRig> StartAsync(string channel, CancellationToken cancellationToken)
    {
        ReplySenderRig rig = channel switch
        {
            "email" => new EmailRig(),
            "telegram" => new TelegramRig(),
            "messenger" or "instagram" or "whatsapp" => new MetaRig(channel),
            "x" => new XRig(),
            _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "No sender rig for this channel."),
        };
        await rig.StartFakeAsync(cancellationToken);
        return rig;
    }

    /// <summary>Settings that turn the sender on and point it at the fake.</summary>
    public abstract Dictionary<string, string?> Configured();

    /// <summary>The provider refuses the next message for good (a 4xx; where it can, quoting the request back).</summary>
    public abstract void RefuseNext();

    /// <summary>The provider fails the next message in a way worth a retry, for as long as the sender's own retries last.</summary>
    public abstract void FailNextBeyondRetries();

    /// <summary>A host with just this channel registered and started (options validated), and its sender.</summary>
    public async Task<IReplySender> SenderAsync(Dictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs);
        AddChannel(builder);
        var host = builder.Build();
        hosts.Add(host);
        await host.StartAsync(cancellationToken);
        return Assert.Single(host.Services.GetServices<IReplySender>(), sender => sender.Channel == Channel);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts)
        {
            host.Dispose();
        }

        await DisposeFakeAsync();
    }

    protected abstract Task StartFakeAsync(CancellationToken cancellationToken);

    protected abstract ValueTask DisposeFakeAsync();

    protected abstract void AddChannel(IHostApplicationBuilder builder);

    private sealed class EmailRig : ReplySenderRig
    {
        private const string ApiKey = "SG.fake-key-for-tests.0123456789";
        private const string Address = "alice@customer.example";
        private readonly FakeSendGrid sendGrid = new();

        public override string Channel => "email";

        public override string BaseUrlKey => "SendGrid:BaseUrl";

        public override Type? UnreachableFault => typeof(HttpRequestException);

        public override OutboundReply Reply { get; } = new(
            TicketId, "T-ABC234", new Contact("email", Address, "Alice", Address), "en", "acknowledgement", "Re: Withdrawal not received [T-ABC234]",
            "We have your message. Support never asks for your password, 2FA codes or recovery phrase.", Automatic: true,
            InReplyTo: "<inbound-2@customer.example>", References: ["<inbound-1@customer.example>"]);

        public override string SentMarker => "202";

        public override string RefusalCode => "400";

        public override IReadOnlyList<string> Secrets => [ApiKey];

        public override IReadOnlyList<string> CustomerData => [Reply.Text, Address];

        public override Dictionary<string, string?> Configured() => new()
        {
            ["SendGrid:BaseUrl"] = sendGrid.BaseUrl.ToString(),
            ["SendGrid:ApiKey"] = ApiKey,
            ["SendGrid:FromEmail"] = "support@exchange.example",
        };

        // A server that quotes the request back must not get the key into the logs.
        public override void RefuseNext() => sendGrid.RespondNextWith(400, $$"""{"errors":[{"message":"Bearer {{ApiKey}}"}]}""");

        public override void FailNextBeyondRetries() => sendGrid.RespondNextWith(500);

        protected override Task StartFakeAsync(CancellationToken cancellationToken) => sendGrid.StartAsync(cancellationToken);

        protected override ValueTask DisposeFakeAsync() => sendGrid.DisposeAsync();

        // The replies alone: the rest of the email channel needs storage, and the sender does not.
        protected override void AddChannel(IHostApplicationBuilder builder) => builder.AddEmailReplies();
    }

    private sealed class TelegramRig : ReplySenderRig
    {
        private readonly FakeTelegram telegram = new();

        public override string Channel => "telegram";

        public override string BaseUrlKey => "Telegram:BaseUrl";

        public override OutboundReply Reply { get; } = new(
            TicketId, "T-ABC234", new Contact("telegram", "987654321", "Ada"), "en", "acknowledgement", "[T-ABC234] We have received your message",
            "We opened ticket T-ABC234. Freeze it in the app (Account > Security) & change your <password>.", Automatic: true, InReplyTo: "42");

        public override string RefusalCode => "403";

        public override IReadOnlyList<string> Secrets => [FakeTelegram.BotToken];

        public override IReadOnlyList<string> CustomerData => ["We opened ticket"];

        public override Dictionary<string, string?> Configured() => new()
        {
            ["Telegram:BaseUrl"] = telegram.BaseUrl.ToString(),
            ["Telegram:BotToken"] = FakeTelegram.BotToken,
        };

        public override void RefuseNext() => telegram.RespondNextWith(403);

        public override void FailNextBeyondRetries() => telegram.RespondNextWith(500);

        protected override Task StartFakeAsync(CancellationToken cancellationToken) => telegram.StartAsync(cancellationToken);

        protected override ValueTask DisposeFakeAsync() => telegram.DisposeAsync();

        protected override void AddChannel(IHostApplicationBuilder builder) => builder.AddTelegramChannel();
    }

    /// <summary>Messenger, Instagram and WhatsApp: three senders, one registration and one fake Graph API.</summary>
    private sealed class MetaRig(string channel) : ReplySenderRig
    {
        private const string Psid = "6543210987654321";
        private const string WaId = "4915112345678";
        private readonly FakeGraph graph = new();

        public override string Channel => channel;

        public override string BaseUrlKey => "Meta:BaseUrl";

        public override OutboundReply Reply { get; } = new(
            TicketId, "T-ABC234", new Contact(channel, channel == "whatsapp" ? WaId : Psid, "Ana"), "en", "acknowledgement",
            "[T-ABC234] We have received your message",
            "We opened ticket T-ABC234. Freeze it in the app (Account > Security) & never share your <password>.", Automatic: true,
            InReplyTo: "m_1", CustomerWroteAt: DateTimeOffset.UtcNow);

        public override string RefusalCode => "403";

        public override IReadOnlyList<string> Secrets => [FakeGraph.PageAccessToken, FakeGraph.WhatsAppToken];

        public override IReadOnlyList<string> CustomerData => ["We opened ticket", WaId];

        public override Dictionary<string, string?> Configured() =>
            graph.Settings("app-secret", "verify-token").ToDictionary(pair => pair.Key, pair => (string?)pair.Value);

        public override void RefuseNext() => graph.RespondNextWith(403);

        // The first try and both of the sender's own retries.
        public override void FailNextBeyondRetries() => graph.RespondNextWith(429, times: GraphApi.MaxRetryAttempts + 1);

        protected override Task StartFakeAsync(CancellationToken cancellationToken) => graph.StartAsync(cancellationToken);

        protected override ValueTask DisposeFakeAsync() => graph.DisposeAsync();

        protected override void AddChannel(IHostApplicationBuilder builder) => builder.AddMetaChannels();
    }

    private sealed class XRig : ReplySenderRig
    {
        private readonly FakeX x = new();

        public override string Channel => "x";

        public override string BaseUrlKey => "X:BaseUrl";

        public override OutboundReply Reply { get; } = new(
            TicketId, "T-ABC234", new Contact("x", "4455667788", "Ada"), "en", "acknowledgement", "[T-ABC234] We have received your message",
            "We opened ticket T-ABC234. Support never asks for your recovery phrase.", Automatic: true, InReplyTo: "1630000000000000001");

        public override string RefusalCode => "403";

        public override IReadOnlyList<string> Secrets => [FakeX.AccessToken];

        public override IReadOnlyList<string> CustomerData => ["We opened ticket"];

        public override Dictionary<string, string?> Configured() => new()
        {
            ["X:BaseUrl"] = x.BaseUrl.ToString(),
            ["X:AccessToken"] = FakeX.AccessToken,
        };

        public override void RefuseNext() => x.RespondNextWith(403);

        public override void FailNextBeyondRetries() => x.RespondNextWith(500);

        protected override Task StartFakeAsync(CancellationToken cancellationToken) => x.StartAsync(cancellationToken);

        protected override ValueTask DisposeFakeAsync() => x.DisposeAsync();

        protected override void AddChannel(IHostApplicationBuilder builder) => builder.AddXChannel();
    }
}
