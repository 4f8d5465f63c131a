using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Intake.Tests.Channels;

/// <summary>
/// What every channel's reply sender promises, whatever its provider, with each sender's real client against its in-process
/// fake (<see cref="ReplySenderRig"/>): a provider out of reach is a fault for the queue to retry, the logs name the ticket
/// but never a token, the customer's words or their address, and a bad setting stops the app before it serves. One case per
/// sender, so the one that breaks a promise is the one that fails.
/// </summary>
public sealed class ReplySenderContractTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static TheoryData<string> Senders => [.. ReplySenderRig.Channels];

    /// <summary>A setting and a bad value for it, per sender: each must stop the app at start-up.</summary>
    public static TheoryData<string, string, string?> BadSettings => new()
    {
        { "email", "SendGrid:FromEmail", "not-an-email" },
        { "email", "SendGrid:FromEmail", "Support <support@exchange.example>" },
        { "email", "SendGrid:ApiKey", null },
        { "email", "SendGrid:FromEmail", null },
        { "email", "SendGrid:ApiKey", "SG.key with spaces" },
        { "telegram", "Telegram:BotToken", "not-a-token" },
        { "telegram", "Telegram:BotToken", "123456:has spaces" },
        { "telegram", "Telegram:SecretToken", "secret with spaces" },
        { "telegram", "Telegram:BaseUrl", "ftp://api.telegram.org" },
        { "messenger", "Meta:BaseUrl", "ftp://graph.facebook.com" },
        { "messenger", "Meta:GraphVersion", "latest" },
        { "messenger", "Meta:PageAccessToken", "EAAG token with spaces" },
        { "whatsapp", "WhatsApp:PhoneNumberId", "+15550001111" },
        { "whatsapp", "WhatsApp:TemplateName", "Ticket Update!" },
        { "whatsapp", "WhatsApp:TemplateLanguage", "english please" },
        { "x", "X:AccessToken", "token with spaces" },
        { "x", "X:AccessToken", "token\nwith-a-line-break" },
        { "x", "X:BaseUrl", "ftp://api.x.com" },
    };

    [Theory]
    [MemberData(nameof(Senders))]
    public async Task An_unreachable_api_throws_so_the_queue_retries(string channel)
    {
        await using var rig = await ReplySenderRig.StartAsync(channel, Cancellation);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var settings = rig.Configured();
        settings[rig.BaseUrlKey] = $"http://127.0.0.1:{port}";
        var sender = await rig.SenderAsync(settings, Cancellation);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(rig.Reply, Cancellation));

        Assert.IsNotType<OperationCanceledException>(error, exactMatch: false);
        if (rig.UnreachableFault is { } fault)
        {
            Assert.IsType(fault, error);
        }
    }

    [Theory]
    [MemberData(nameof(Senders))]
    public async Task Logs_name_the_ticket_but_never_a_token_the_text_or_the_address(string channel)
    {
        await using var rig = await ReplySenderRig.StartAsync(channel, Cancellation);
        var sender = await rig.SenderAsync(rig.Configured(), Cancellation);

        await sender.SendAsync(rig.Reply, Cancellation);
        rig.RefuseNext();
        await sender.SendAsync(rig.Reply, Cancellation);
        rig.FailNextBeyondRetries();
        await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(rig.Reply, Cancellation));

        var lines = rig.Logs.Lines;
        Assert.Contains(lines, line => line.Contains(ReplySenderRig.TicketId, StringComparison.Ordinal) && line.Contains(rig.SentMarker, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains(ReplySenderRig.TicketId, StringComparison.Ordinal) && line.Contains(rig.RefusalCode, StringComparison.Ordinal));
        foreach (var secret in rig.Secrets.Concat(rig.CustomerData))
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Bad_configuration_stops_the_app_at_start_without_quoting_it(string channel, string key, string? value)
    {
        await using var rig = await ReplySenderRig.StartAsync(channel, Cancellation);
        var settings = rig.Configured();
        settings[key] = value;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => rig.SenderAsync(settings, Cancellation));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        foreach (var quoted in rig.Secrets.Append(value).OfType<string>())
        {
            Assert.DoesNotContain(quoted, error.Message, StringComparison.Ordinal);
        }
    }
}
