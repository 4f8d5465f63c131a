using Azure.Data.Tables;
using Intake.Agents;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Intake.Tests.Agents;

/// <summary>The agent list read from the request's query, as the Functions host calls it (minimal APIs bind it for the server).</summary>
public class TicketListFromQueryTests(AzuriteFixture azurite)
{
    private async Task<TicketListing> ListingAsync()
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        var prefix = TestStorage.NewPrefix();
        await new TicketStore(tables, TimeProvider.System, prefix).CreateTablesAsync(TestContext.Current.CancellationToken);
        return new TicketListing(tables, prefix);
    }

    private const string Key = "list-key-0123456789abcdef0123456789";

    private static readonly AgentKeys Agents = new(
        new ServiceCollection().AddOptions<IntakeOptions>().Configure(o => o.ApiKeys = new Dictionary<string, string> { ["mei"] = Key }).Services
            .BuildServiceProvider().GetRequiredService<IOptionsMonitor<IntakeOptions>>());

    private static HttpRequest Request(string query, string? key = Key)
    {
        var request = new DefaultHttpContext { Request = { QueryString = new QueryString(query) } }.Request;
        if (key is not null)
        {
            request.Headers[AgentKeys.Header] = key;
        }

        return request;
    }

    [Theory]
    [InlineData("")]
    [InlineData("?pageSize=")]
    [InlineData("?status=open&urgency=urgent&channel=email&category=withdrawal&pageSize=10")]
    public async Task Lists_with_the_filters_given(string query)
    {
        var listing = await ListingAsync();

        var result = await TicketEndpoints.ListFromQueryAsync(Request(query), Agents, listing, TestContext.Current.CancellationToken);

        var ok = Assert.IsType<Ok<TicketListJson>>(result.Result);
        Assert.Empty(ok.Value!.Tickets);
    }

    [Theory]
    [InlineData("?pageSize=ten", "pageSize")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?status=", "status")]
    [InlineData("?urgency=soon", "urgency")]
    public async Task Refuses_filters_it_cannot_read(string query, string field)
    {
        var listing = await ListingAsync();

        var result = await TicketEndpoints.ListFromQueryAsync(Request(query), Agents, listing, TestContext.Current.CancellationToken);

        var problem = Assert.IsType<ValidationProblem>(result.Result);
        Assert.Equal([field], problem.ProblemDetails.Errors.Keys);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("list-key-0123456789abcdef012345678X")]
    public async Task Without_an_agent_key_it_answers_401_as_on_the_server(string? key)
    {
        var listing = await ListingAsync();

        var result = await TicketEndpoints.ListFromQueryAsync(Request("", key), Agents, listing, TestContext.Current.CancellationToken);

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsType<ProblemHttpResult>(result.Result).StatusCode);
    }
}
