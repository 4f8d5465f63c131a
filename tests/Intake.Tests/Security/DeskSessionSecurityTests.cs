using System.Net;
using Intake.Desk;
using Intake.Tests.Desk;
using Intake.Tests.Integration;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Security;

/// <summary>
/// The desk's door (docs/desk.md, docs/security.md): guessing keys locks the name, a sign-in or a change posted from
/// another site is refused, and a session ends on the server when the agent signs out.
/// </summary>
public sealed class DeskSessionSecurityTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Wrong_keys_lock_the_name_out_for_a_while_even_against_the_right_key_and_then_it_opens_again()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, Settings(new() { ["Desk:MaxFailedSignIns"] = "3", ["Desk:LockoutDuration"] = "00:10:00" }), time: clock);
        using var browser = new DeskBrowser(host);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync("Sam", "not-sams-key-000000000000000000000")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync("Sam", KeyOf("Mei Lin"))).Status);
        var third = await browser.SignInAsync("sam", "still-not-sams-key-00000000000000");
        Assert.Equal((HttpStatusCode)429, third.Status);
        Assert.NotNull(third.Raw.Headers.RetryAfter);

        var right = await browser.SignInAsync("Sam", KeyOf("Sam"));
        Assert.Equal((HttpStatusCode)429, right.Status);
        Assert.DoesNotContain(right.SetCookies, c => c.StartsWith(DeskSignIn.SessionCookie + "=", StringComparison.Ordinal));

        // Another agent is not locked by Sam's lock; an unknown name is counted the same way as a known one.
        Assert.Equal(HttpStatusCode.SeeOther, (await new DeskBrowser(host).SignInAsync("Ana", KeyOf("Ana"))).Status);
        for (var i = 0; i < 3; i++)
        {
            await browser.SignInAsync("nobody-at-all", "a-guess-of-some-length-000000000000");
        }

        Assert.Equal((HttpStatusCode)429, (await browser.SignInAsync("nobody-at-all", "a-guess-of-some-length-000000000000")).Status);

        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("Sam", KeyOf("Sam"))).Status);
    }

    [Fact]
    public async Task A_sign_in_posted_without_the_forms_cookie_is_refused_and_counts_nothing_against_the_name()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings(new() { ["Desk:MaxFailedSignIns"] = "1" }));
        using var browser = new DeskBrowser(host);

        // A page elsewhere posting to the desk: no cookie of the sign-in form comes with it.
        var forged = await browser.PostAsync(DeskPaths.SignIn, [new("_form", "made-up-token-made-up-token-made-up-00"), new("name", "Mei"), new("key", "wrong-key-00000000000000000000000000")]);

        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("Mei", ApiKey)).Status);
    }

    [Fact]
    public async Task A_post_without_the_sessions_form_token_is_refused_and_changes_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "Where is my deposit?");
        using var browser = new DeskBrowser(host);
        await browser.SignInAsync("Mei", ApiKey);
        var page = await browser.GetAsync(DeskPaths.Ticket(accepted.TicketId));

        var forged = await browser.PostAsync(DeskPaths.Ticket(accepted.TicketId) + "/resolve", [new("_form", "forged"), new("etag", page.Field("etag")!)]);
        var missing = await browser.PostAsync(DeskPaths.Ticket(accepted.TicketId) + "/resolve", [new("etag", page.Field("etag")!)]);

        Assert.Equal(HttpStatusCode.Forbidden, forged.Status);
        Assert.Equal(HttpStatusCode.Forbidden, missing.Status);
        Assert.NotEqual("resolved", (await GetAsync(client, accepted.TicketId)).String("status"));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_its_cookie_opens_nothing_afterwards()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var browser = new DeskBrowser(host);
        var signedIn = await browser.SignInAsync("Mei", ApiKey);
        var token = signedIn.SetCookies.Single(c => c.StartsWith(DeskSignIn.SessionCookie + "=", StringComparison.Ordinal)).Split(';')[0];
        var queue = await browser.GetAsync(DeskPaths.Queue);

        var signedOut = await browser.PostAsync(DeskPaths.SignOut, [new("_form", queue.Field("_form")!)]);

        Assert.Equal(HttpStatusCode.SeeOther, signedOut.Status);
        Assert.Equal(DeskPaths.SignIn, signedOut.Location);
        using var replay = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(DeskPaths.Queue, UriKind.Relative));
        request.Headers.Add("Cookie", token);
        using var response = await replay.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }

    [Fact]
    public async Task A_session_cookie_that_was_never_issued_opens_nothing_and_its_posts_change_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "Where is my deposit?");
        using var forged = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        foreach (var cookie in new[] { "made-up-session", new string('A', 43), new string('x', 5000) })
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(DeskPaths.Ticket(accepted.TicketId), UriKind.Relative));
            get.Headers.Add("Cookie", DeskSignIn.SessionCookie + "=" + cookie);
            using var page = await forged.SendAsync(get, TestContext.Current.CancellationToken);
            using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(DeskPaths.Ticket(accepted.TicketId) + "/resolve", UriKind.Relative))
            {
                Content = new FormUrlEncodedContent([new("_form", cookie), new("etag", "*")]),
            };
            post.Headers.Add("Cookie", DeskSignIn.SessionCookie + "=" + cookie);
            using var resolve = await forged.SendAsync(post, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.SeeOther, page.StatusCode);
            Assert.Equal(DeskPaths.SignIn, page.Headers.Location?.ToString());
            Assert.Equal(HttpStatusCode.Unauthorized, resolve.StatusCode);
        }

        Assert.NotEqual("resolved", (await GetAsync(client, accepted.TicketId)).String("status"));
    }
}
