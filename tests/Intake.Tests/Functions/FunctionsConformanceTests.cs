using Intake.Messaging;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.Routing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Functions;

/// <summary>
/// DESIGN §9: <c>functions/Intake.Functions</c> serves what the server serves, consumes every urgency queue once, and holds
/// wiring only. The server's routes come from the running server, so a route added there fails here until it has a trigger.
/// </summary>
public class FunctionsConformanceTests(AzuriteFixture azurite)
{
    private static IEnumerable<FunctionTrigger> Http => FunctionsSource.Triggers.Where(t => t.Trigger == "http");

    private async Task<IReadOnlyList<string>> ServerRoutesAsync()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        return
        [
            .. host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                    .Select(method => $"{method} {FunctionsSource.NormaliseRoute(endpoint.RoutePattern.RawText!)}"))
                .Distinct()
                .Order(StringComparer.Ordinal),
        ];
    }

    private static IReadOnlyList<string> FunctionRoutes() =>
    [
        .. Http.SelectMany(trigger => trigger.HttpMethods.Select(method => $"{method} {FunctionsSource.NormaliseRoute(trigger.Route ?? "")}"))
            .Order(StringComparer.Ordinal),
    ];

    [Fact]
    public void The_functions_project_has_source_and_every_file_parses()
    {
        Assert.NotEmpty(FunctionsSource.Trees);
        foreach (var tree in FunctionsSource.Trees)
        {
            var errors = tree.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"{tree.FilePath}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public async Task Every_server_route_has_an_http_trigger_with_the_same_method_and_route()
    {
        var server = await ServerRoutesAsync();

        Assert.Contains("GET api/tickets/{id}", server);
        Assert.Contains("GET support/status/{reference}", server);
        Assert.Empty(server.Except(FunctionRoutes()));
    }

    [Fact]
    public async Task Every_http_trigger_is_a_server_route()
    {
        var server = await ServerRoutesAsync();

        Assert.Empty(FunctionRoutes().Except(server));
    }

    [Fact]
    public void No_route_has_two_triggers_and_every_trigger_names_its_route_and_methods()
    {
        Assert.All(Http, trigger =>
        {
            Assert.False(string.IsNullOrEmpty(trigger.Route), $"{trigger} has no Route (host.json's route prefix is empty: routes are written in full)");
            Assert.NotEmpty(trigger.HttpMethods);
        });
        var routes = FunctionRoutes();
        Assert.Equal(routes.Distinct(), routes);
    }

    [Fact]
    public void Agent_metrics_and_health_report_routes_need_a_function_key_and_webhooks_pages_and_liveness_are_anonymous()
    {
        Assert.All(Http, trigger => Assert.Equal(
            trigger.Route!.StartsWith("api/tickets", StringComparison.Ordinal) || trigger.Route.StartsWith("api/metrics", StringComparison.Ordinal)
                || trigger.Route == "api/health/details"
                ? "Function"
                : "Anonymous",
            trigger.AuthorizationLevel));
    }

    [Fact]
    public void Every_trigger_behind_a_function_key_passes_the_agent_keys_to_its_handler()
    {
        // A function key says nothing about who called: the handler checks the agent's x-api-key, as on the server.
        Assert.All(Http.Where(t => t.AuthorizationLevel == "Function"), trigger =>
            Assert.Contains("agents", trigger.Method.DescendantNodes().OfType<ArgumentSyntax>().Select(a => a.Expression.ToString())));
    }

    [Fact]
    public void Each_urgency_queue_has_exactly_one_service_bus_trigger_on_the_ServiceBusConnection_setting()
    {
        var serviceBus = FunctionsSource.Triggers.Where(t => t.Trigger == "serviceBus").ToList();

        Assert.Equal(
            TicketQueues.ByPriority.Select(TicketQueues.NameFor).Order(StringComparer.Ordinal),
            serviceBus.Select(t => t.Queue).Order(StringComparer.Ordinal));
        Assert.All(serviceBus, trigger => Assert.Equal(ServiceBusMapping.ConnectionSetting, trigger.Connection));
    }

    [Fact]
    public void No_trigger_body_does_more_than_delegate()
    {
        Assert.NotEmpty(FunctionsSource.Triggers);
        Assert.All(FunctionsSource.Triggers, trigger => Assert.True(Delegation.Check(trigger.Method) is null, $"{trigger}: {Delegation.Check(trigger.Method)}"));
    }

    [Fact]
    public void Function_names_are_unique_and_classes_and_methods_public()
    {
        Assert.Equal(FunctionsSource.Triggers.Select(t => t.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count(), FunctionsSource.Triggers.Count);
        Assert.All(FunctionsSource.Triggers, trigger =>
        {
            Assert.False(string.IsNullOrEmpty(trigger.Name), $"{trigger} has no name");
            Assert.Contains(trigger.Type.Modifiers, m => m.IsKind(SyntaxKind.PublicKeyword));
            Assert.Contains(trigger.Method.Modifiers, m => m.IsKind(SyntaxKind.PublicKeyword));
        });
    }

    [Fact]
    public void The_functions_project_stays_out_of_the_solution_and_of_every_other_project()
    {
        Assert.DoesNotContain("Intake.Functions", File.ReadAllText(Path.Combine(FunctionsSource.RepositoryRoot, "Intake.sln")), StringComparison.Ordinal);
        foreach (var project in Directory.GetFiles(FunctionsSource.RepositoryRoot, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains("node_modules", StringComparison.Ordinal) && !p.EndsWith("Intake.Functions.csproj", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain("Intake.Functions", File.ReadAllText(project), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("public Task<IResult> Run(HttpRequest req, CancellationToken ct) => Handler.RunAsync(req.HttpContext, service, ct);")]
    [InlineData("public async Task<IResult> Run(HttpRequest req, CancellationToken ct) { return await Handler.RunAsync(req.Query[\"x\"], ct); }")]
    [InlineData("public IResult Run(HttpRequest req) => Handler.Run(req);")]
    public void The_delegation_check_accepts_a_one_line_delegation(string method)
    {
        Assert.Null(Delegation.Check(Method(method)));
    }

    [Theory]
    [InlineData("public async Task<IResult> Run(HttpRequest req, CancellationToken ct) { var id = req.Query[\"id\"]; return await Handler.RunAsync(id, ct); }")]
    [InlineData("public Task Run(string body, CancellationToken ct) { service.Log(body); return Handler.RunAsync(body, ct); }")]
    [InlineData("public Task<IResult> Run(HttpRequest req, CancellationToken ct) => req.Method == \"GET\" ? Handler.GetAsync(req, ct) : Handler.PostAsync(req, ct);")]
    [InlineData("public Task<IResult> Run(HttpRequest req, CancellationToken ct) => Handler.RunAsync(Parse(req), ct);")]
    [InlineData("public Task<IResult> Run(HttpRequest req, CancellationToken ct) => Handler.RunAsync(req.Query[\"id\"].ToString(), ct);")]
    [InlineData("public Task<IResult> Run(HttpRequest req, CancellationToken ct) => Handler.RunAsync(x => x + 1, ct);")]
    [InlineData("public Task<IResult> Run(HttpRequest req, CancellationToken ct) => Handler.RunAsync(Global.Services, ct);")]
    [InlineData("public Task Run(HttpRequest req, CancellationToken ct) { }")]
    public void The_delegation_check_rejects_more_than_a_delegation(string method)
    {
        Assert.NotNull(Delegation.Check(Method(method)));
    }

    [Fact]
    public void The_trigger_reader_finds_methods_routes_levels_and_queues()
    {
        var root = CSharpSyntaxTree.ParseText("""
            public sealed class Sample(Worker worker)
            {
                [Function("A")]
                public Task<IResult> A([HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "api/a/{id}")] HttpRequest req, string id) => Handler.A(id);

                [Function("B")]
                public Task B([ServiceBusTrigger("tickets-low", Connection = "ServiceBusConnection")] ServiceBusReceivedMessage message) => worker.B(message.Body);
            }
            """, cancellationToken: TestContext.Current.CancellationToken).GetRoot(TestContext.Current.CancellationToken);

        var triggers = FunctionsSource.Read(root).ToList();

        Assert.Equal(["GET", "POST"], triggers[0].HttpMethods);
        Assert.Equal("api/a/{id}", triggers[0].Route);
        Assert.Equal("Function", triggers[0].AuthorizationLevel);
        Assert.Equal(("tickets-low", "ServiceBusConnection"), (triggers[1].Queue, triggers[1].Connection));
    }

    private static MethodDeclarationSyntax Method(string method) =>
        CSharpSyntaxTree.ParseText($"public sealed class Sample(Service service) {{ {method} }}", cancellationToken: TestContext.Current.CancellationToken)
            .GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
}
