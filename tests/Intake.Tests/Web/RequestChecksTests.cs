using Intake.Web;

namespace Intake.Tests.Web;

public sealed class RequestChecksTests
{
    [Theory]
    [InlineData("application/json", true)]
    [InlineData("Application/JSON; charset=utf-8", true)]
    [InlineData("application/jsonx", false)]
    [InlineData("text/plain", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("not a media type", false)]
    public void A_content_type_names_a_media_type_in_any_case_and_with_any_parameters(string? contentType, bool expected)
    {
        Assert.Equal(expected, RequestChecks.IsMediaType(contentType, "application/json"));
    }
}
