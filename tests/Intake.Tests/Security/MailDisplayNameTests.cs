using System.Net;
using System.Net.Http.Json;
using Intake.Tests.Integration;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: the web form's <c>name</c> is whatever a stranger types (up to 200 characters) and was put in the To header of
/// our real, DKIM-signed mail as the recipient's display name: "Security team: your account is frozen, call …" would show
/// in the victim's inbox as if we had written it. A name nobody proved is never shown in mail we send.
/// </summary>
public sealed class MailDisplayNameTests(AzuriteFixture azurite)
{
    private const string Lure = "URGENT Exchange Security: account frozen, verify at evil.example";

    [Fact]
    public async Task The_name_typed_into_the_form_appears_nowhere_in_the_acknowledgement()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        using var response = await client.PostAsJsonAsync(
            new Uri("/api/intake/web", UriKind.Relative),
            new { message = "my withdrawal is stuck", email = "victim@example.com", name = Lure },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mail = await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 0 ? host.SendGrid.Mails[0] : null), "the acknowledgement");

        var to = mail.Json.GetProperty("personalizations")[0].GetProperty("to")[0];
        Assert.Equal("victim@example.com", to.GetProperty("email").GetString());
        Assert.False(to.TryGetProperty("name", out var name) && !string.IsNullOrEmpty(name.GetString()), $"the To header carries the name {name}");
        Assert.DoesNotContain("evil.example", mail.Body, StringComparison.OrdinalIgnoreCase);
    }
}
