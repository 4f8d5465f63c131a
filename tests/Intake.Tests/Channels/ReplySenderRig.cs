using Intake.Outbound;
using Intake.Tests.Channels.Email;
using Intake.Tests.Channels.Meta;
using Intake.Tests.Channels.Telegram;
using Intake.Tests.Channels.X;
using Intake.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Tests.Channels;

/// <summary>
/// One channel's reply sender as the tests drive it: the in-process fake of its provider, the settings that point the
/// sender there, a reply it can send, how to make the provider refuse or fail, and what must never reach a log. The sender
/// is built as the app builds it, by the channel's own <c>Add…Channel</c>, with every log line captured.
/// <see cref="ReplySenderContractTests"/> holds what every sender promises; each channel's own tests use its rig
/// (<c>Channels/&lt;Name&gt;/&lt;Name&gt;ReplySenderRig.cs</c>) for their set-up too.
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

    /// <summary>The status the provider refuses with in the log test; its log line must give it.</summary>
    public abstract int RefusalStatus { get; }

    /// <summary>Tokens and keys: never in a log, a send's error, nor a start-up error.</summary>
    public abstract IReadOnlyList<string> Secrets { get; }

    /// <summary>The customer's words and address: never in a log.</summary>
    public abstract IReadOnlyList<string> CustomerData { get; }

    /// <summary>How many requests the provider's fake has received, to any of its endpoints.</summary>
    public abstract int RequestCount { get; }

    public static async Task<ReplySenderRig> StartAsync(string channel, CancellationToken cancellationToken)
    {
        ReplySenderRig rig = channel switch
        {
            "email" => new EmailReplySenderRig(),
            "telegram" => new TelegramReplySenderRig(),
            "messenger" or "instagram" or "whatsapp" => new MetaReplySenderRig(channel),
            "x" => new XReplySenderRig(),
            _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "No sender rig for this channel."),
        };
        await rig.StartFakeAsync(cancellationToken);
        return rig;
    }

    /// <summary>Settings that turn the sender on and point it at the fake.</summary>
    public abstract Dictionary<string, string?> Configured();

    /// <summary><see cref="Reply"/>, to a contact at <paramref name="address"/> instead: the contact's id, where the channel addresses by it.</summary>
    public virtual OutboundReply ReplyTo(string? address) =>
        Reply with { Contact = Reply.Contact with { Id = address ?? throw new ArgumentNullException(nameof(address)) } };

    /// <summary>The provider refuses the next message for good with <paramref name="status"/>, answering <see cref="RefusalAnswer"/>.</summary>
    public abstract void RefuseNext(int status);

    /// <summary>What the provider's refusal says (where it can, quoting the request back): never in a send's error nor a log.</summary>
    public abstract string RefusalAnswer(int status);

    /// <summary>The provider answers <paramref name="status"/> to every attempt the sender makes at the next message.</summary>
    public void FailNext(int status) => RespondNextWith(status, Attempts(status));

    /// <summary>How many requests the sender makes for one message the provider keeps failing with <paramref name="status"/>: its own retries.</summary>
    public virtual int Attempts(int status) => 1;

    /// <summary>The exact exception a send throws when the provider keeps failing.</summary>
    public virtual Type ServerErrorFault => typeof(HttpRequestException);

    /// <summary>The provider's status as that exception carries it.</summary>
    public virtual int? StatusOf(Exception error) => (int?)(error as HttpRequestException)?.StatusCode;

    /// <summary>A host with just this channel registered and started (options validated), and its sender.</summary>
    public Task<IReplySender> SenderAsync(Dictionary<string, string?> settings, CancellationToken cancellationToken) =>
        SenderAsync(Channel, settings, configure: null, cancellationToken);

    /// <summary>
    /// A host with just this channel's registration, then <paramref name="configure"/> (a clock, a client's timeout),
    /// started (options validated), and the sender of <paramref name="channel"/>, one of those the registration adds.
    /// </summary>
    public async Task<IReplySender> SenderAsync(
        string channel, Dictionary<string, string?> settings, Action<IServiceCollection>? configure, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs);
        AddChannel(builder);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        hosts.Add(host);
        await host.StartAsync(cancellationToken);
        return Assert.Single(host.Services.GetServices<IReplySender>(), sender => sender.Channel == channel);
    }

    public abstract Task StartFakeAsync(CancellationToken cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts)
        {
            host.Dispose();
        }

        await DisposeFakeAsync();
    }

    protected abstract ValueTask DisposeFakeAsync();

    protected abstract void AddChannel(IHostApplicationBuilder builder);

    /// <summary>The provider answers <paramref name="status"/> to the next <paramref name="times"/> requests.</summary>
    protected abstract void RespondNextWith(int status, int times);
}
