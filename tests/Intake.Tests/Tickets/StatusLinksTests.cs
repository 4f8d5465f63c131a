using Intake.Tickets;
using Intake.Triage;
using Intake.Web;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Tests.Tickets;

/// <summary>Status and verify tokens: what they are bound to, how long they last, and that neither passes for the other.</summary>
public class StatusLinksTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private StatusLinks Links(TimeSpan? status = null, TimeSpan? verify = null, string key = "status-links-test-key-of-32-characters") =>
        new(
            Options.Create(new IntakeOptions
            {
                SigningKey = key,
                StatusLinkLifetime = status ?? TimeSpan.FromDays(30),
                VerifyLinkLifetime = verify ?? TimeSpan.FromDays(7),
            }),
            new HostingEnvironment { EnvironmentName = "Production" },
            _time);

    private static Ticket Ticket(string reference = "T-ABC234", string? nonce = "nonce-1", string? email = "alice@example.com") => new()
    {
        Id = "01JT000000000000000" + reference[2..],
        Reference = reference,
        Channel = "web",
        Contact = new Contact("web", "c1", null, email, Verified: false),
        Language = "en",
        Category = TicketCategory.General,
        Urgency = Urgency.Normal,
        CreatedAt = DateTimeOffset.UnixEpoch,
        StatusNonce = nonce,
    };

    [Fact]
    public void A_status_token_opens_its_ticket_until_it_expires()
    {
        var links = Links();
        var token = links.Token(Ticket());

        _time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        Assert.True(links.IsValid(Ticket(), token));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(links.IsValid(Ticket(), token));
    }

    [Fact]
    public void A_status_token_is_bound_to_the_reference_the_nonce_and_the_key()
    {
        var token = Links().Token(Ticket());

        Assert.False(Links().IsValid(Ticket(reference: "T-ABC235"), token));
        Assert.False(Links().IsValid(Ticket(nonce: "nonce-2"), token));
        Assert.False(Links().IsValid(Ticket(nonce: null), token));
        Assert.False(Links(key: "another-key-of-at-least-32-characters!").IsValid(Ticket(), token));
    }

    [Fact]
    public void A_ticket_stored_before_nonces_has_links_of_its_own_until_a_nonce_is_set()
    {
        var links = Links();
        var legacy = links.Token(Ticket(nonce: null));

        Assert.True(links.IsValid(Ticket(nonce: null), legacy));
        Assert.False(links.IsValid(Ticket(nonce: ContactVerification.NewNonce()), legacy));
    }

    [Fact]
    public void A_changed_expiry_breaks_the_mac_and_a_shortened_lifetime_holds_for_links_given_out_before()
    {
        var token = Links().Token(Ticket());
        var expiry = long.Parse(token.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);

        Assert.False(Links().IsValid(Ticket(), $"{expiry + 86_400}.{token.Split('.')[1]}"));
        Assert.False(Links(status: TimeSpan.FromDays(1)).IsValid(Ticket(), token));
    }

    [Fact]
    public void Status_and_verify_tokens_never_pass_for_one_another()
    {
        var links = Links(status: TimeSpan.FromDays(7));
        var ticket = Ticket();
        var status = links.Token(ticket);
        var verify = links.VerifyToken(ticket)!;

        Assert.True(links.IsValidVerify(ticket, verify));
        Assert.False(links.IsValidVerify(ticket, status));
        Assert.False(links.IsValid(ticket, verify));
    }

    [Fact]
    public void A_verify_token_is_bound_to_the_address_survives_a_new_nonce_and_expires()
    {
        var links = Links();
        var verify = links.VerifyToken(Ticket())!;

        Assert.True(links.IsValidVerify(Ticket(nonce: "rotated", email: "Alice@Example.com"), verify));
        Assert.False(links.IsValidVerify(Ticket(email: "mallory@example.com"), verify));
        Assert.False(links.IsValidVerify(Ticket(email: null), verify));
        Assert.Null(links.VerifyToken(Ticket(email: null)));
        _time.Advance(TimeSpan.FromDays(7));
        Assert.False(links.IsValidVerify(Ticket(), verify));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData(".AAAA")]
    [InlineData("-1.AAAA")]
    [InlineData("+1795000000.AAAA")]
    [InlineData("1795000000 .AAAA")]
    [InlineData("99999999999999999999.AAAA")]
    [InlineData("1000.AAAA")]
    public void A_token_of_another_shape_or_long_expired_is_refused_before_any_lookup(string? token)
    {
        Assert.False(Links().MayBeValid(token));
        Assert.False(Links().IsValid(Ticket(), token));
    }

    [Fact]
    public void Links_start_at_the_public_address_and_carry_the_token_as_given()
    {
        var links = new StatusLinks(
            Options.Create(new IntakeOptions { SigningKey = "status-links-test-key-of-32-characters", PublicBaseUrl = "https://help.example/" }),
            new HostingEnvironment { EnvironmentName = "Production" },
            _time);

        Assert.Equal("https://help.example/support/status/T-ABC234?token=1.x", links.Url("T-ABC234", "1.x", "http://ignored"));
        Assert.StartsWith("https://help.example/support/verify/T-ABC234?token=", links.VerifyUrl(Ticket(), "http://ignored"), StringComparison.Ordinal);
    }
}
