using System.Net;
using System.Text.RegularExpressions;
using Intake.Channels.WebForm;
using Intake.Outbound;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Channels.WebForm;

/// <summary>The customer's pages through the real host over Azurite: the form, its post, and the status page.</summary>
public sealed partial class SupportPagesTests(AzuriteFixture azurite)
{
    private const string Password = "Hunter2-Secret!";
    private static readonly Uri Support = new("/support", UriKind.Relative);

    [Fact]
    public async Task The_form_is_in_the_browsers_language_unless_lang_says_otherwise()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();
        (string? AcceptLanguage, string Query, string Lang, string Title)[] cases =
        [
            (null, "", "en", "Contact support"),
            ("en-GB,en;q=0.9", "", "en", "Contact support"),
            ("zh-CN,zh;q=0.9", "", "zh-Hans", "联系客服"),
            ("zh-TW,zh;q=0.9", "", "zh-Hant", "聯絡客服"),
            ("zh-HK", "", "zh-Hant", "聯絡客服"),
            ("fr-FR", "", "en", "Contact support"),
            ("\"zh-TW\";q=x, ,;;", "?lang=%3Cb%3E", "en", "Contact support"),
            ("zh-CN", "?lang=en", "en", "Contact support"),
            ("en-US", "?lang=zh-Hans", "zh-Hans", "联系客服"),
            ("zh-CN", "?lang=zh-Hant", "zh-Hant", "聯絡客服"),
            ("zh-TW", "?lang=fr", "zh-Hant", "聯絡客服"),
        ];

        foreach (var (acceptLanguage, query, lang, title) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/support" + query, UriKind.Relative));
            if (acceptLanguage is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
            }

            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.True(html.Contains($"<html lang=\"{lang}\">", StringComparison.Ordinal), $"{acceptLanguage} {query}: not {lang}");
            Assert.Contains($"<h1>{title}</h1>", html, StringComparison.Ordinal);
            Assert.Contains($"name=\"language\" value=\"{lang}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_form_labels_every_field_marks_the_required_one_hides_the_honeypot_and_warns_about_secrets()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        var html = await client.GetStringAsync(Support, TestContext.Current.CancellationToken);

        Assert.Single(Regex.Matches(html, "<h1>"));
        Assert.Single(Regex.Matches(html, "<main>"));
        foreach (var field in VisibleFields(html))
        {
            Assert.Contains($"<label for=\"{field}\">", html, StringComparison.Ordinal);
        }

        Assert.Equal(["message", "name", "email", "subject", "reference", "website"], VisibleFields(html));
        Assert.Matches("<textarea id=\"message\" name=\"message\"[^>]* required aria-required=\"true\" maxlength=\"10000\"", html);
        var honeypot = Regex.Match(html, "<div class=\"hp\" aria-hidden=\"true\">.*?<input ([^>]*)></div>").Groups[1].Value;
        Assert.Contains("type=\"text\"", honeypot, StringComparison.Ordinal);
        Assert.Contains("name=\"website\"", honeypot, StringComparison.Ordinal);
        Assert.Contains("tabindex=\"-1\"", honeypot, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"off\"", honeypot, StringComparison.Ordinal);
        Assert.Contains(".hp{position:absolute;left:-10000px", html, StringComparison.Ordinal);
        Assert.Contains("never ask for your password, 2FA codes, private keys or recovery phrase", html, StringComparison.Ordinal);
        Assert.Contains("href=\"?lang=zh-Hans\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"?lang=zh-Hant\"", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"/support\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_redirects_to_the_status_page_which_shows_the_reference_and_the_redacted_message()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);

        using var posted = await client.PostAsync(Support, Form(new()
        {
            ["message"] = $"My withdrawal of 0.5 ETH is stuck.\r\npassword: {Password}",
            ["name"] = "Alice",
            ["email"] = "alice@example.com",
            ["subject"] = "Withdrawal",
            ["language"] = "en",
            ["website"] = "",
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        var location = posted.Headers.Location!;
        Assert.Matches("/support/status/T-[A-Z2-9]{6}\\?token=[0-9]+\\.[A-Za-z0-9_-]+$", location.ToString());
        Assert.DoesNotContain(Password, location.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, await posted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var reference = Regex.Match(location.ToString(), "T-[A-Z2-9]{6}").Value;

        var store = host.Services.GetRequiredService<TicketStore>();
        var ticket = (await store.FindByReferenceAsync(reference, TestContext.Current.CancellationToken))!.Ticket;
        await IntakeHost.WaitForAsync(
            async () => (await host.Services.GetRequiredService<OutboundLog>().ListAsync(ticket.Id, TestContext.Current.CancellationToken)).FirstOrDefault(o => o.Status == OutboundStatus.Sent),
            "the acknowledgement sent");
        using var page = await client.GetAsync(location, TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Contains($"<h1>Ticket {reference}</h1>", html, StringComparison.Ordinal);
        Assert.Contains("My withdrawal of 0.5 ETH is stuck.\npassword: [REDACTED:password]</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, html, StringComparison.Ordinal);
        Assert.Contains("<dt>Topic</dt><dd>withdrawal</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Acknowledgement</dt><dd>sent (by email)</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<h3>You, <time", html, StringComparison.Ordinal);

        // Nobody has proved the address yet: the acknowledgement went to it, and its text is not shown here.
        Assert.Contains("<h3>Support, <time", html, StringComparison.Ordinal);
        Assert.Contains("We replied by email.</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("change that password now", html, StringComparison.Ordinal);
        Assert.Contains("change that password now", host.SendGrid.Mails[0].Text, StringComparison.Ordinal);
        Assert.Contains($"<input type=\"hidden\" name=\"reference\" value=\"{reference}\">", html, StringComparison.Ordinal);
        Assert.Contains($"<input type=\"hidden\" name=\"token\" value=\"{Token(location)}\">", html, StringComparison.Ordinal);
        Assert.Single(host.SendGrid.Mails);
        Assert.DoesNotContain(Password, host.SendGrid.Mails[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_form_sent_twice_from_one_page_makes_one_ticket_and_each_page_has_its_own_key()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);
        var page = await client.GetStringAsync(Support, TestContext.Current.CancellationToken);
        var key = SubmissionKey(page);
        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.NotEqual(key, SubmissionKey(await client.GetStringAsync(Support, TestContext.Current.CancellationToken)));

        // A second click, or the browser sending the form again after the connection dropped before the answer.
        Dictionary<string, string> fields = new()
        {
            ["message"] = "My deposit of 120 USDT has not arrived after two hours.",
            ["email"] = "alice@example.com",
            ["language"] = "en",
            ["submission"] = key,
        };
        var first = await SubmitAsync(client, fields);
        var second = await SubmitAsync(client, fields);

        Assert.Equal(first.AbsolutePath, second.AbsolutePath);
        Assert.Equal(1, await host.CountTicketsAsync());

        // The same key with other text is another message: scoped to the text, a key finds only its own submission.
        await SubmitAsync(client, new(fields) { ["message"] = "And my withdrawal of 0.1 BTC is pending." });
        Assert.Equal(2, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_tampered_submission_key_comes_back_as_an_error_with_a_fresh_key_that_then_goes_through()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);
        Dictionary<string, string> fields = new() { ["message"] = "Where is my deposit?", ["language"] = "en", ["submission"] = new string('k', 201) };

        using var refused = await client.PostAsync(Support, Form(fields), TestContext.Current.CancellationToken);
        var html = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Matches("^[0-9a-f]{32}$", SubmissionKey(html));
        await SubmitAsync(client, new(fields) { ["submission"] = SubmissionKey(html) });
        Assert.Equal(1, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task The_status_page_is_in_the_tickets_language_unless_lang_says_otherwise()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);
        var location = await SubmitAsync(client, new() { ["message"] = "我的充值还没有到账,已经两个小时了", ["language"] = "en" });

        var chinese = await client.GetStringAsync(location, TestContext.Current.CancellationToken);
        var english = await client.GetStringAsync(new Uri(location + "&lang=en"), TestContext.Current.CancellationToken);
        var traditional = await client.GetStringAsync(new Uri(location + "&lang=zh-Hant"), TestContext.Current.CancellationToken);

        Assert.Contains("<html lang=\"zh-Hans\">", chinese, StringComparison.Ordinal);
        Assert.Contains("<dt>问题类型</dt><dd>充值</dd>", chinese, StringComparison.Ordinal);
        Assert.Contains("我的充值还没有到账,已经两个小时了", chinese, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains("<dt>Topic</dt><dd>deposit</dd>", english, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"zh-Hant\">", traditional, StringComparison.Ordinal);
        Assert.Contains($"href=\"?token={Token(location)}&amp;lang=zh-Hant\"", chinese, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Field_errors_come_back_on_the_form_marked_and_with_what_was_typed_escaped()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);

        using var response = await client.PostAsync(Support, Form(new()
        {
            ["message"] = "Where is my \"deposit\" </textarea><b>now</b>?",
            ["name"] = "<script>alert(1)</script>",
            ["email"] = "not an address",
            ["language"] = "en",
        }), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("</textarea><b>", html, StringComparison.Ordinal);
        Assert.Contains("Where is my &quot;deposit&quot; &lt;/textarea&gt;&lt;b&gt;now&lt;/b&gt;?</textarea>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"not an address\"", html, StringComparison.Ordinal);
        Assert.Contains("<title>Error: Contact support</title>", html, StringComparison.Ordinal);
        Assert.Matches("<div class=\"errors\" role=\"alert\"[^>]*>.*<a href=\"#email\">Email: This is not an email address.</a>", html.ReplaceLineEndings(" "));
        Assert.Matches("<input type=\"email\" id=\"email\"[^>]* aria-describedby=\"email-hint email-error\" aria-invalid=\"true\"", html);
        Assert.Contains("<span class=\"error\" id=\"email-error\">This is not an email address.</span>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("id=\"name\"[^>]*aria-invalid", html);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task Errors_come_back_in_the_language_of_the_page_they_were_sent_from()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);

        using var response = await client.PostAsync(Support, Form(new() { ["message"] = "  ", ["language"] = "zh-Hant" }), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<html lang=\"zh-Hant\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#message\">您的訊息: 請填寫您的訊息。</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filled_honeypot_gets_a_thank_you_and_stores_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);

        using var response = await client.PostAsync(Support, Form(new()
        {
            ["message"] = "Cheap followers here",
            ["email"] = "bot@example.com",
            ["website"] = "https://spam.example",
        }), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>Thank you</h1>", html, StringComparison.Ordinal);
        Assert.Equal(0, await host.CountTicketsAsync());
        Assert.Empty(host.SendGrid.Mails);
    }

    [Fact]
    public async Task A_wrong_or_missing_token_an_unknown_ticket_and_a_malformed_reference_get_the_same_404()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);
        var location = await SubmitAsync(client, new() { ["message"] = "How do I change my email address?" });
        var reference = Regex.Match(location.ToString(), "T-[A-Z2-9]{6}").Value;
        var unknown = reference == "T-ZZZZZZ" ? "T-YYYYYY" : "T-ZZZZZZ";
        var links = host.Services.GetRequiredService<StatusLinks>();

        string[] probes =
        [
            $"/support/status/{reference}?token=AAAAAAAAAAAAAAAAAAAAAAAA",
            $"/support/status/{reference}",
            $"/support/status/{reference}?token={links.Token(unknown, null)}",
            $"/support/status/{unknown}?token={links.Token(unknown, null)}",
            $"/support/status/..%2Fetc?token={Token(location)}",
            $"/support/status/{reference}x?token={Token(location)}",
        ];
        var bodies = new List<string>();
        foreach (var probe in probes)
        {
            using var response = await client.GetAsync(new Uri(probe, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{probe}: {response.StatusCode}");
            bodies.Add(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        Assert.Single(bodies.Distinct());
        Assert.Contains("<h1>Ticket not found</h1>", bodies[0], StringComparison.Ordinal);
        Assert.DoesNotContain(reference, bodies[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_follow_up_from_the_status_page_joins_the_ticket_and_returns_to_it()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);
        var location = await SubmitAsync(client, new() { ["message"] = "My deposit of 100 USDT has not arrived" });
        var reference = Regex.Match(location.ToString(), "T-[A-Z2-9]{6}").Value;

        var again = await SubmitAsync(client, new()
        {
            ["message"] = "It was sent on TRC20 an hour ago",
            ["reference"] = reference,
            ["token"] = Token(location),
            ["language"] = "en",
            ["website"] = "",
        });
        var html = await client.GetStringAsync(again, TestContext.Current.CancellationToken);

        Assert.Equal(location, again);
        Assert.Contains("My deposit of 100 USDT has not arrived", html, StringComparison.Ordinal);
        Assert.Contains("It was sent on TRC20 an hour ago", html, StringComparison.Ordinal);
        Assert.Equal(1, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task An_empty_follow_up_from_the_status_page_comes_back_to_that_page_with_its_error_focused()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);
        var location = await SubmitAsync(client, new() { ["message"] = "My deposit of 100 USDT has not arrived" });
        var reference = Regex.Match(location.ToString(), "T-[A-Z2-9]{6}").Value;

        using var response = await client.PostAsync(Support, Form(new()
        {
            ["message"] = "  ",
            ["reference"] = reference,
            ["token"] = Token(location),
            ["language"] = "en",
        }), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<title>Error: Ticket {reference}</title>", html, StringComparison.Ordinal);
        Assert.Contains("My deposit of 100 USDT has not arrived", html, StringComparison.Ordinal);
        Assert.Matches("<div class=\"errors\" role=\"alert\"[^>]* tabindex=\"-1\" autofocus>", html);
        Assert.Contains("<a href=\"#message\">Your message: Write your message.</a>", html, StringComparison.Ordinal);
        Assert.Matches("<textarea id=\"message\"[^>]* aria-invalid=\"true\"", html);
        Assert.Equal(1, await host.CountTicketsAsync());

        // A wrong token gets no ticket's page: the plain form, as before.
        using var forged = await client.PostAsync(Support, Form(new() { ["message"] = "", ["reference"] = reference, ["token"] = "1.forged", ["language"] = "en" }), TestContext.Current.CancellationToken);
        var plain = await forged.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain("My deposit of 100 USDT", plain, StringComparison.Ordinal);
        Assert.Contains("<title>Error: Contact support</title>", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_servers_root_leads_to_the_support_form()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/support", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_form_offers_every_language_for_our_replies_and_a_chosen_one_answers()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);
        var page = await client.GetStringAsync(Support, TestContext.Current.CancellationToken);

        Assert.Contains("<option value=\"\">The language I write in</option>", page, StringComparison.Ordinal);
        Assert.Equal(Intake.Texts.CustomerTexts.Languages, Regex.Matches(page, "<option value=\"([a-zA-Z-]+)\" lang=").Select(m => m.Groups[1].Value));

        var location = await SubmitAsync(client, new() { ["message"] = "My withdrawal of 0.2 BTC has been pending since this morning", ["reply_language"] = "vi", ["language"] = "en" });
        var status = await client.GetStringAsync(location, TestContext.Current.CancellationToken);
        Assert.Contains("<html lang=\"vi\">", status, StringComparison.Ordinal);

        using var refused = await client.PostAsync(Support, Form(new() { ["message"] = "Where is my deposit?", ["reply_language"] = "xx", ["language"] = "en" }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<a href=\"#reply_language\">", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_page_sends_the_security_headers()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);
        var location = await SubmitAsync(client, new() { ["message"] = "What are the fees for BTC withdrawals?" });

        using var form = await client.GetAsync(Support, TestContext.Current.CancellationToken);
        using var status = await client.GetAsync(location, TestContext.Current.CancellationToken);
        using var missing = await client.GetAsync(new Uri("/support/status/T-ABCDEF?token=x", UriKind.Relative), TestContext.Current.CancellationToken);
        using var invalid = await client.PostAsync(Support, Form(new() { ["message"] = "" }), TestContext.Current.CancellationToken);
        using var redirect = await client.PostAsync(Support, Form(new() { ["message"] = "And for ETH?" }), TestContext.Current.CancellationToken);

        foreach (var response in new[] { form, status, missing, invalid, redirect })
        {
            var what = $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} ({(int)response.StatusCode})";
            Assert.True(
                response.Headers.TryGetValues("Content-Security-Policy", out var csp)
                    && csp.Single() == "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                what);
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", what);
            Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer) && referrer.Single() == "no-referrer", what);
            Assert.True(response.Headers.CacheControl?.NoStore == true, what);
        }
    }

    [Fact]
    public async Task Other_content_types_get_415_oversize_bodies_413_and_non_utf8_forms_400_as_pages()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = NoRedirects(host);

        using var json = await client.PostAsync(
            Support, new StringContent("{\"message\":\"hi\"}", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        using var multipart = await client.PostAsync(
            Support, new MultipartFormDataContent { { new StringContent("hi"), "message" } }, TestContext.Current.CancellationToken);
        using var large = await client.PostAsync(
            Support, Form(new() { ["message"] = "hi", ["name"] = new string('x', 70_000) }), TestContext.Current.CancellationToken);

        using var latin1 = new ByteArrayContent([.. "message=caf"u8, 0xE9]);
        latin1.Headers.ContentType = new("application/x-www-form-urlencoded");
        using var unreadable = await client.PostAsync(Support, latin1, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, multipart.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal("text/html", large.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Message too long</h1>", await large.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.Contains("<h1>The form could not be read</h1>", await unreadable.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task Past_the_rate_limit_the_form_gets_a_429_page_with_retry_after()
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { ["WebForm:SubmissionsPerWindow"] = "1" });
        using var client = NoRedirects(host);
        await SubmitAsync(client, new() { ["message"] = "First question about staking" });

        using var response = await client.PostAsync(Support, Form(new() { ["message"] = "Second question" }), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.InRange(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 600);
        Assert.Contains("<h1>Too many messages</h1>", html, StringComparison.Ordinal);
        Assert.Contains("try again in 10 minutes", html, StringComparison.Ordinal);
        Assert.Equal(1, await host.CountTicketsAsync());
    }

    private static HttpClient NoRedirects(IntakeHost host) => host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static FormUrlEncodedContent Form(Dictionary<string, string> fields) => new(fields);

    /// <summary>Posts the form and returns the status page it redirects to.</summary>
    private static async Task<Uri> SubmitAsync(HttpClient client, Dictionary<string, string> fields)
    {
        using var response = await client.PostAsync(Support, Form(fields), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return response.Headers.Location!;
    }

    private static string SubmissionKey(string html) => Regex.Match(html, "<input type=\"hidden\" name=\"submission\" value=\"([^\"]*)\">").Groups[1].Value;

    private static string Token(Uri statusUrl) => statusUrl.Query.Split("token=")[1].Split('&')[0];

    /// <summary>The ids of the inputs and text areas a browser shows (everything but type=hidden).</summary>
    private static List<string> VisibleFields(string html) =>
    [
        .. FieldPattern().Matches(html)
            .Where(m => !m.Value.Contains("type=\"hidden\"", StringComparison.Ordinal))
            .Select(m => Regex.Match(m.Value, "id=\"([^\"]+)\"").Groups[1].Value),
    ];

    [GeneratedRegex("<(input|textarea) [^>]*>")]
    private static partial Regex FieldPattern();
}
