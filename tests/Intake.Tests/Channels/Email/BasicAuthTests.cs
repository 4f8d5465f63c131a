using System.Text;
using Intake.Channels.Email;

namespace Intake.Tests.Channels.Email;

public sealed class BasicAuthTests
{
    private static readonly EmailInboundOptions Settings = new() { InboundUser = "parse", InboundPassword = "p:ss wörd" };

    private static string Basic(string pair) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));

    [Fact]
    public void The_configured_pair_is_accepted_even_with_a_colon_in_the_password()
    {
        Assert.True(EmailEndpoints.IsAuthorized(Basic("parse:p:ss wörd"), Settings));
        Assert.True(EmailEndpoints.IsAuthorized("basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("parse:p:ss wörd")), Settings));
    }

    [Theory]
    [InlineData("parse:p:ss word")]
    [InlineData("Parse:p:ss wörd")]
    [InlineData("parse:")]
    [InlineData(":p:ss wörd")]
    [InlineData("parsep:ss wörd")]
    public void Any_other_pair_is_refused(string pair)
    {
        Assert.False(EmailEndpoints.IsAuthorized(Basic(pair), Settings));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic")]
    [InlineData("Basic %%%")]
    [InlineData("Digest username=\"parse\"")]
    public void Missing_or_malformed_headers_are_refused(string? header)
    {
        Assert.False(EmailEndpoints.IsAuthorized(header, Settings));
    }

    [Fact]
    public void Options_want_both_or_neither_credential()
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var half = new EmailInboundOptions { InboundUser = "parse" };

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(half, new(half), results, validateAllProperties: true));
        Assert.DoesNotContain("parse", results.Single().ErrorMessage, StringComparison.Ordinal);
        Assert.False(new EmailInboundOptions().IsEnabled);
    }
}
