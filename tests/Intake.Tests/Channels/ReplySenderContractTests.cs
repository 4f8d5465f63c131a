using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Intake.Outbound;
using Intake.Tickets;
using Microsoft.Extensions.Options;

namespace Intake.Tests.Channels;

/// <summary>
/// What every channel's reply sender promises, whatever its provider, with each sender's real client against its in-process
/// fake (<see cref="ReplySenderRig"/>): without its token it sends nothing; a reply it cannot address or without text fails
/// without a request; a refusal is a failure that names the status and never the provider's answer; a provider out of reach,
/// failing or throttling past the sender's own retries is a fault for the queue to retry; the logs name the ticket but never a
/// token, the customer's words or their address; a bad setting stops the app before it serves. One case per sender, so the
/// one that breaks a promise is the one that fails.
/// </summary>
public sealed class ReplySenderContractTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static TheoryData<string> Senders => [.. ReplySenderRig.Channels];

    /// <summary>The settings that, left unset, turn a sender off (email needs both of its).</summary>
    public static TheoryData<string, string[]> Tokens => new()
    {
        { "email", ["SendGrid:ApiKey", "SendGrid:FromEmail"] },
        { "telegram", ["Telegram:BotToken"] },
        { "messenger", ["Meta:PageAccessToken"] },
        { "instagram", ["Meta:PageAccessToken"] },
        { "whatsapp", ["WhatsApp:AccessToken"] },
        { "whatsapp", ["WhatsApp:PhoneNumberId"] },
        { "x", ["X:AccessToken"] },
    };

    /// <summary>Addresses a sender cannot send to: email by the contact's email address, the others by the contact's id.</summary>
    public static TheoryData<string, string?> Unaddressable => new()
    {
        { "email", null },
        { "email", "  " },
        { "email", "not an address" },
        { "telegram", "ada@example.com" },
        { "telegram", "" },
        { "messenger", "" },
        { "instagram", " " },
        { "whatsapp", "" },
        { "x", "ada@example.com" },
        { "x", "../../2/users/me" },
        { "x", "" },
    };

    /// <summary>Statuses each provider refuses a message with for good.</summary>
    public static TheoryData<string, int> Refusals => new()
    {
        { "email", 400 },
        { "telegram", 403 },
        { "telegram", 400 },
        { "messenger", 400 },
        { "messenger", 403 },
        { "instagram", 400 },
        { "whatsapp", 400 },
        { "whatsapp", 401 },
        { "x", 403 },
        { "x", 400 },
        { "x", 404 },
    };

    /// <summary>Statuses worth a retry, which each provider keeps answering for as long as the sender's own retries last.</summary>
    public static TheoryData<string, int> ServerErrors => new()
    {
        { "email", 500 },
        { "email", 503 },
        { "email", 429 },
        { "telegram", 429 },
        { "telegram", 500 },
        { "telegram", 502 },
        { "messenger", 429 },
        { "messenger", 500 },
        { "instagram", 503 },
        { "whatsapp", 429 },
        { "whatsapp", 500 },
        { "x", 500 },
        { "x", 502 },
        { "x", 503 },
        { "x", 408 },
        { "x", 429 },
    };

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
    [MemberData(nameof(Tokens))]
    public async Task Without_its_token_a_sender_reports_not_configured_and_sends_nothing(string channel, string[] keys)
    {
        await using var rig = await ReplySenderRig.StartAsync(channel, Cancellation);
        // Left out, and set to nothing as an empty app setting is.
        var absent = rig.Configured();
        var empty = rig.Configured();
        foreach (var key in keys)
        {
            absent.Remove(key);
            empty[key] = "";
        }

        var withoutSetting = await (await rig.SenderAsync(absent, Cancellation)).SendAsync(rig.Reply, Cancellation);
        var withEmptySetting = await (await rig.SenderAsync(empty, Cancellation)).SendAsync(rig.Reply, Cancellation);

        Assert.Same(SendResult.NotConfigured, withoutSetting);
        Assert.Same(SendResult.NotConfigured, withEmptySetting);
        Assert.Equal(0, rig.RequestCount);
    }

    [Theory]
    [MemberData(nameof(Unaddressable))]
    public async Task A_contact_it_cannot_address_fails_without_a_request(string channel, string? address)
    {
        await using var rig = await ReplySenderRig.StartAsync(channel, Cancellation);
        var sender = await rig.SenderAsync(rig.Configured(), Cancellation);

        var result = await sender.SendAsync(rig.ReplyTo(address), Cancellation);

        Assert.Equal(OutboundStatus.Failed, result.Status);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        Assert.Equal(0, rig.RequestCount);
    }

    [Theory]
    [MemberData(nameof(Senders))]
    public async Task A_reply_without_text_fails_without_a_request(string channel)
    {
        await using var rig = await ReplySenderRig.StartAsync(channel, Cancellation);
        var sender = await rig.SenderAsync(rig.Configured(), Cancellation);

        var result = await sender.SendAsync(rig.Reply with { Text = " " }, Cancellation);

        Assert.Equal(OutboundStatus.Failed, result.Status);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        Assert.Equal(0, rig.RequestCount);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refusal_is_a_failure_with_the_status_code_and_never_the_answer_and_is_not_retried(string channel, int status)
    {
        await using var rig = await ReplySenderRig.StartAsync(channel, Cancellation);
        var sender = await rig.SenderAsync(rig.Configured(), Cancellation);
        rig.RefuseNext(status);

        var result = await sender.SendAsync(rig.Reply, Cancellation);

        Assert.Equal(OutboundStatus.Failed, result.Status);
        Assert.Null(result.ProviderMessageId);
        Assert.Contains(status.ToString(CultureInfo.InvariantCulture), result.Error, StringComparison.Ordinal);
        foreach (var quoted in rig.Secrets.Append(rig.RefusalAnswer(status)))
        {
            Assert.DoesNotContain(quoted, result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(rig.Logs.Lines, line => line.Contains(quoted, StringComparison.Ordinal));
        }

        Assert.Equal(1, rig.RequestCount);
    }

    [Theory]
    [MemberData(nameof(ServerErrors))]
    public async Task A_server_error_or_throttling_past_the_senders_own_retries_throws_so_the_queue_retries(string channel, int status)
    {
        await using var rig = await ReplySenderRig.StartAsync(channel, Cancellation);
        var sender = await rig.SenderAsync(rig.Configured(), Cancellation);
        rig.FailNext(status);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(rig.Reply, Cancellation));

        Assert.IsType(rig.ServerErrorFault, error);
        Assert.Equal(status, rig.StatusOf(error));
        Assert.Equal(rig.Attempts(status), rig.RequestCount);
    }

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
        rig.RefuseNext(rig.RefusalStatus);
        await sender.SendAsync(rig.Reply, Cancellation);
        rig.FailNext(500);
        await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(rig.Reply, Cancellation));

        var lines = rig.Logs.Lines;
        var refusal = rig.RefusalStatus.ToString(CultureInfo.InvariantCulture);
        Assert.Contains(lines, line => line.Contains(ReplySenderRig.TicketId, StringComparison.Ordinal) && line.Contains(rig.SentMarker, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains(ReplySenderRig.TicketId, StringComparison.Ordinal) && line.Contains(refusal, StringComparison.Ordinal));
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
