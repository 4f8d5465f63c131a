using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Intake.Tests.Agents;
using Intake.Tests.Integration;
using Intake.Triage;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: a customer pastes a private key in its PEM or PGP armour ("-----BEGIN OPENSSH PRIVATE KEY-----" …) into a
/// message — the key of a wallet, a server, an API client — and the text is stored as sent: attachments of that shape
/// are withheld, but the same block in the body was not recognised. Control: triage redacts every private-key block,
/// header to footer (or, cut off before its footer, its base64 and header lines), as <c>private_key</c>, which flags the
/// ticket and makes it urgent; public keys and certificates stay.
/// </summary>
public sealed class PrivateKeyBlockTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Base64 lines of random bytes in the armour's shape; not a key of anything.</summary>
    private static string Armoured(string label, int lines = 6, bool footer = true, string headers = "")
    {
        var random = new Random(label.Length * 31 + lines);
        var block = new StringBuilder().Append("-----BEGIN ").Append(label).Append("-----\n").Append(headers);
        for (var i = 0; i < lines; i++)
        {
            var bytes = new byte[48];
            random.NextBytes(bytes);
            block.Append(Convert.ToBase64String(bytes)).Append('\n');
        }

        if (footer)
        {
            block.Append("-----END ").Append(label).Append("-----");
        }

        return block.ToString();
    }

    private static string Body(string block) => block.Split('\n')[2];

    [Theory]
    [InlineData("PRIVATE KEY")]
    [InlineData("RSA PRIVATE KEY")]
    [InlineData("EC PRIVATE KEY")]
    [InlineData("ENCRYPTED PRIVATE KEY")]
    [InlineData("OPENSSH PRIVATE KEY")]
    [InlineData("PGP PRIVATE KEY BLOCK")]
    public void A_private_key_block_in_the_text_is_redacted_whole_and_exposes_a_secret(string label)
    {
        var block = Armoured(label);

        var result = TriageEngine.Default.Triage($"My API client stopped working, here is its key:\n{block}\nCan you check?");

        Assert.Equal("My API client stopped working, here is its key:\n[REDACTED:private_key]\nCan you check?", result.RedactedText);
        Assert.Contains(SecretKind.PrivateKey, result.Secrets);
        Assert.Equal(Urgency.Urgent, result.Urgency);
        Assert.Contains("secret_exposed", result.Flags);
    }

    [Fact]
    public void A_block_cut_off_before_its_footer_loses_its_base64_and_header_lines_and_keeps_the_question_after_it()
    {
        var block = Armoured("RSA PRIVATE KEY", footer: false, headers: "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,9E4A07A1C0A5E1A2\n\n");

        var result = TriageEngine.Default.Triage($"{block}\nwhy does the import fail?");

        Assert.DoesNotContain(Body(block), result.RedactedText, StringComparison.Ordinal);
        Assert.DoesNotContain("ENCRYPTED", result.RedactedText, StringComparison.Ordinal);
        Assert.EndsWith("why does the import fail?", result.RedactedText, StringComparison.Ordinal);
        Assert.Contains(SecretKind.PrivateKey, result.Secrets);
    }

    [Theory]
    [InlineData("PUBLIC KEY")]
    [InlineData("CERTIFICATE")]
    [InlineData("PGP PUBLIC KEY BLOCK")]
    public void Public_keys_and_certificates_are_not_secrets(string label)
    {
        var block = Armoured(label);

        var result = TriageEngine.Default.Triage($"Here is our public key for the allow-list:\n{block}");

        Assert.Contains(Body(block), result.RedactedText, StringComparison.Ordinal);
        Assert.Empty(result.Secrets);
    }

    [Fact]
    public void Two_blocks_are_each_redacted_and_the_text_between_them_kept()
    {
        var first = Armoured("EC PRIVATE KEY");
        var second = Armoured("OPENSSH PRIVATE KEY", lines: 3);

        var result = TriageEngine.Default.Triage($"{first}\nand the other one\n{second}");

        Assert.Equal("[REDACTED:private_key]\nand the other one\n[REDACTED:private_key]", result.RedactedText);
    }

    [Fact]
    public async Task A_key_block_sent_through_the_web_form_is_stored_nowhere_and_the_ticket_is_urgent()
    {
        await using var host = await IntakeHost.StartAsync(azurite, AgentApi.Settings());
        using var client = host.CreateClient();
        var block = Armoured("OPENSSH PRIVATE KEY");

        using var response = await client.PostAsJsonAsync(
            new Uri("/api/intake/web", UriKind.Relative),
            new { message = $"My withdrawal bot's server key, in case you need it:\n{block}", email = "pem@example.com", subject = "API bot" },
            Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ticketId = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation)).RootElement.GetProperty("ticketId").GetString()!;
        var ticket = await StoredStrings.TicketAsync(host, ticketId);
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
        Assert.Contains("secret_exposed", ticket.Flags);
        foreach (var (where, value) in await StoredStrings.ReadAsync(host))
        {
            Assert.False(value.Contains(Body(block), StringComparison.Ordinal), $"the key block was stored in {where}");
        }
    }
}
