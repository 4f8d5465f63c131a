using System.Text;
using Intake.Channels.X;
using static Intake.Tests.Channels.X.XFixtures;

namespace Intake.Tests.Channels.X;

/// <summary>The CRC response token and the delivery signature, checked against values computed with openssl.</summary>
public sealed class XSignaturesTests
{
    private const string SignedBody = """{"for_user_id":"3001"}""";
    private const string OpensslSignature = "sha256=XBrcYc6Q+jBeJ5JHepWkDEchL1atB0wf344ys3TQmjY=";

    [Fact]
    public void The_response_token_is_the_base64_hmac_of_the_crc_token_with_the_consumer_secret()
    {
        Assert.Equal("sha256=jywOBp9zlmcAHI1R33bU/CBP+E8euYDx3iK+uDs5LC0=", XSignatures.ResponseToken(ConsumerSecret, "crc-challenge-123"));
    }

    [Fact]
    public void A_signature_made_with_the_consumer_secret_over_the_raw_body_is_valid()
    {
        Assert.True(XSignatures.IsValid(OpensslSignature, ConsumerSecret, Encoding.UTF8.GetBytes(SignedBody)));
        Assert.Equal(OpensslSignature, Sign(SignedBody));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("XBrcYc6Q+jBeJ5JHepWkDEchL1atB0wf344ys3TQmjY=")]
    [InlineData("SHA256=XBrcYc6Q+jBeJ5JHepWkDEchL1atB0wf344ys3TQmjY=")]
    [InlineData("sha1=XBrcYc6Q+jBeJ5JHepWkDEchL1atB0wf344ys3TQmjY=")]
    [InlineData("sha256=not base64!")]
    [InlineData("sha256=XBrcYc6Q+jBeJ5JHepWkDEchL1atB0wf344ys3TQmkY=")]
    [InlineData("sha256=YBrcYc6Q+jBeJ5JHepWkDEchL1atB0wf344ys3TQmjY=")]
    [InlineData("sha256=XBrcYc6Q+jBeJ5JHepWkDEchL1atB0wf344ys3TQ")]
    [InlineData("sha256=XBrcYc6Q+jBeJ5JHepWkDEchL1atB0wf344ys3TQmjYAAAA=")]
    public void A_missing_malformed_or_forged_signature_is_not_valid(string? header)
    {
        Assert.False(XSignatures.IsValid(header, ConsumerSecret, Encoding.UTF8.GetBytes(SignedBody)));
    }

    [Fact]
    public void A_signature_of_another_body_or_with_another_secret_is_not_valid()
    {
        Assert.False(XSignatures.IsValid(OpensslSignature, ConsumerSecret, Encoding.UTF8.GetBytes(SignedBody + " ")));
        Assert.False(XSignatures.IsValid(OpensslSignature, ConsumerSecret + "x", Encoding.UTF8.GetBytes(SignedBody)));
    }
}
