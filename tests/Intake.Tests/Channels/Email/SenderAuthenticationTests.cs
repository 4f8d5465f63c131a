using Intake.Channels.Email;

namespace Intake.Tests.Channels.Email;

public sealed class SenderAuthenticationTests
{
    [Theory]
    [InlineData("{@customer.example : pass}", "customer.example")]
    [InlineData("{@customer.example:pass}", "customer.example")]
    [InlineData("@customer.example : pass", "customer.example")]
    [InlineData("{@Customer.Example. : PASS}", "customer.example")]
    [InlineData("{@mailer.example : fail, @customer.example : pass}", "customer.example")]
    [InlineData("{@a.example : pass, @customer.example : pass}", "a.example,customer.example")]
    [InlineData("{alice@customer.example : pass (good signature: 1024-bit key)}", "customer.example")]
    [InlineData("{@bücher.example : pass}", "xn--bcher-kva.example")]
    [InlineData("{@customer.example : fail}", "")]
    [InlineData("{@customer.example : neutral}", "")]
    [InlineData("{@customer.example : passed}", "")]
    [InlineData("none", "")]
    [InlineData("{}", "")]
    [InlineData("", "")]
    [InlineData("{@cus tomer.example : pass}", "")]
    [InlineData("{@ : pass}", "")]
    public void Reads_the_domains_of_passing_dkim_signatures_from_sendgrids_field(string dkim, string expected)
    {
        Assert.Equal(expected, string.Join(',', SenderAuthentication.PassingDkimDomains(dkim)));
    }

    [Theory]
    [InlineData("alice@customer.example", "alice@customer.example", "pass", null, "spf")]
    [InlineData("alice@customer.example", "<alice@customer.example>", "Pass (designates 203.0.113.9)", null, "spf")]
    [InlineData("alice@mail.customer.example", "bounces@customer.example", "pass", null, "spf")]
    [InlineData("alice@customer.example", "bounces@mail.customer.example", "pass", null, "none")]
    [InlineData("alice@customer.example", "mallory@attacker.example", "pass", null, "none")]
    [InlineData("alice@customer.example", "alice@customer.example", "softfail", null, "none")]
    [InlineData("alice@customer.example", "", "pass", null, "none")]
    [InlineData("alice@customer.example", null, "pass", null, "none")]
    [InlineData("alice@customer.example", null, null, "{@customer.example : pass}", "dkim")]
    [InlineData("alice@mail.customer.example", null, null, "{@customer.example : pass}", "dkim")]
    [InlineData("alice@customer.example", null, null, "{@mail.customer.example : pass}", "none")]
    [InlineData("alice@customer.example", null, null, "{@example : pass}", "none")]
    [InlineData("alice@customer.example", null, null, "{@ustomer.example : pass}", "none")]
    [InlineData("alice@customer.example", null, null, "{@customer.example.attacker.example : pass}", "none")]
    [InlineData("alice@customer.example", "alice@customer.example", "pass", "{@customer.example : pass}", "spf,dkim")]
    [InlineData("not-an-address", "x@customer.example", "pass", "{@customer.example : pass}", "none")]
    public void Spf_counts_for_an_envelope_of_the_from_domain_or_its_parent_and_dkim_for_a_signature_of_either(
        string from, string? envelope, string? spf, string? dkim, string expected)
    {
        var check = SenderAuthentication.Check(from, envelope, spf, dkim);

        Assert.Equal(expected, check.Name);
        Assert.Equal(expected != "none", check.Verified);
    }
}
