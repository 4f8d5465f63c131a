using System.Text.Json;
using Intake.Escalation;
using Intake.Messaging;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.Routing;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Functions;

/// <summary>
/// DESIGN §9: <c>functions/Intake.Functions</c> serves what the server serves, consumes every urgency queue once, runs the
/// timers, and holds wiring only. The functions come from the <c>functions.metadata</c> the Worker SDK wrote for this build;
/// the server's routes from the running server, so a route added on either side fails here until the other has it.
/// </summary>
public class FunctionsConformanceTests(AzuriteFixture azurite)
{
    private static IEnumerable<FunctionDeclaration> Http => FunctionsMetadata.Functions.Where(f => f.Trigger == "httpTrigger");

    private async Task<IReadOnlyList<string>> ServerRoutesAsync()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        return
        [
            .. host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                    .Select(method => $"{method} {endpoint.RoutePattern.RawText!.Trim('/')}"))
                .Distinct()
                .Order(StringComparer.Ordinal),
        ];
    }

    private static IReadOnlyList<string> FunctionRoutes() =>
        [.. Http.SelectMany(f => f.HttpMethods.Select(method => $"{method} {f.Route}")).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Every_server_route_is_one_http_function_with_the_same_method_and_route_and_nothing_more()
    {
        var server = await ServerRoutesAsync();
        var functions = FunctionRoutes();

        Assert.Contains("GET api/tickets/{id}", server);
        Assert.Contains("GET support/status/{reference}", server);

        // The server's root redirects to the support form; under Functions the root is the platform's own page.
        Assert.Contains("GET ", server);
        server = [.. server.Where(route => route != "GET ")];
        Assert.Empty(server.Except(functions));
        Assert.Empty(functions.Except(server));
        Assert.Equal(functions.Distinct(), functions);
    }

    [Fact]
    public void Every_http_function_names_its_full_route_and_one_method()
    {
        // host.json's route prefix is empty (the pages live at /support): every route is written in full.
        Assert.NotEmpty(Http);
        Assert.All(Http, function =>
        {
            Assert.False(string.IsNullOrEmpty(function.Route), $"{function} has no route");
            Assert.False(function.Route!.StartsWith('/'), $"{function}: {function.Route}");
            Assert.Single(function.HttpMethods);
        });
    }

    [Fact]
    public void Agent_contact_block_metrics_and_health_report_routes_need_a_function_key_and_webhooks_pages_and_liveness_are_anonymous()
    {
        Assert.All(Http, function => Assert.True(
            (function.Route!.StartsWith("api/tickets", StringComparison.Ordinal) || function.Route.StartsWith("api/metrics", StringComparison.Ordinal)
                || function.Route.StartsWith("api/contacts", StringComparison.Ordinal)
                || function.Route == "api/health/details"
                ? "Function"
                : "Anonymous") == function.AuthorizationLevel,
            $"{function}: {function.AuthorizationLevel}"));
    }

    [Fact]
    public void Every_function_behind_a_function_key_passes_the_agent_keys_to_its_handler()
    {
        // A function key says nothing about who called: the handler checks the agent's x-api-key, as on the server.
        Assert.All(Http.Where(f => f.AuthorizationLevel == "Function"), function =>
            Assert.Contains("agents", FunctionsSource.MethodOf(function).DescendantNodes().OfType<ArgumentSyntax>().Select(a => a.Expression.ToString())));
    }

    [Fact]
    public void Each_urgency_queue_has_exactly_one_service_bus_trigger_on_the_ServiceBusConnection_setting_one_message_at_a_time()
    {
        var serviceBus = FunctionsMetadata.Functions.Where(f => f.Trigger == "serviceBusTrigger").ToList();

        Assert.Equal(
            TicketQueues.ByPriority.Select(TicketQueues.NameFor).Order(StringComparer.Ordinal),
            serviceBus.Select(f => f.Queue).Order(StringComparer.Ordinal));
        Assert.All(serviceBus, function =>
        {
            Assert.Equal(ServiceBusMapping.ConnectionSetting, function.Connection);
            Assert.Equal("One", function.Cardinality);
        });
    }

    [Fact]
    public void The_sla_monitor_and_the_outbox_sweep_run_every_minute()
    {
        var timers = FunctionsMetadata.Functions.Where(f => f.Trigger == "timerTrigger").ToDictionary(f => f.Name, f => f.Schedule);

        Assert.Equal(new Dictionary<string, string?> { ["SlaMonitor"] = "0 */1 * * * *", ["OutboxSweep"] = "0 */1 * * * *" }, timers);
    }

    [Fact]
    public void There_are_no_other_functions_and_their_names_are_unique()
    {
        Assert.All(FunctionsMetadata.Functions, f => Assert.Contains(f.Trigger, (string[])["httpTrigger", "serviceBusTrigger", "timerTrigger"]));
        Assert.Equal(
            FunctionsMetadata.Functions.Count,
            FunctionsMetadata.Functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(FunctionsMetadata.Functions, f => Assert.StartsWith("Intake.Functions.", f.EntryPoint, StringComparison.Ordinal));
    }

    [Fact]
    public void No_function_body_does_more_than_delegate()
    {
        Assert.NotEmpty(FunctionsMetadata.Functions);
        Assert.All(FunctionsMetadata.Functions, function =>
        {
            var method = FunctionsSource.MethodOf(function);
            Assert.True(Delegation.Check(method) is null, $"{function}: {Delegation.Check(method)}");
        });
    }

    [Fact]
    public void The_build_output_is_what_func_start_runs()
    {
        // The Worker SDK's output: the host's settings as in the repository, the worker's launch file, the metadata.
        var output = AppContext.BaseDirectory;
        Assert.Equal(File.ReadAllText(Path.Combine(FunctionsSource.RepositoryRoot, "host.json")), File.ReadAllText(Path.Combine(output, "host.json")));
        using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "worker.config.json")));
        var description = worker.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("Intake.Functions.dll", description.GetProperty("defaultWorkerPath").GetString());
        Assert.True(File.Exists(Path.Combine(output, ".azurefunctions", "Microsoft.Azure.WebJobs.Extensions.FunctionMetadataLoader.dll")));

        // local.settings.json is the developer's copy of the example: copied to the output for func start, never published.
        var project = File.ReadAllText(Path.Combine(FunctionsSource.ProjectDirectory, "Intake.Functions.csproj"));
        Assert.Contains("""<None Update="local.settings.json" CopyToOutputDirectory="PreserveNewest" CopyToPublishDirectory="Never" />""", project, StringComparison.Ordinal);
    }

    [Fact]
    public void The_functions_project_is_built_in_the_solution()
    {
        Assert.Contains(@"functions\Intake.Functions\Intake.Functions.csproj", File.ReadAllText(Path.Combine(FunctionsSource.RepositoryRoot, "Intake.sln")), StringComparison.Ordinal);

        // The metadata and the assembly the tests load come from one build: every entry point is a public method there.
        var assembly = typeof(Intake.Functions.QueueFunctions).Assembly;
        Assert.All(FunctionsMetadata.Functions, function =>
            Assert.NotNull(assembly.GetType(function.TypeName)?.GetMethod(function.MethodName, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static)));
        Assert.Equal(
            FunctionsMetadata.Functions.Count,
            assembly.GetTypes().SelectMany(t => t.GetMethods()).Count(m => m.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.FunctionAttribute), false).Length > 0));
    }

    [Theory]
    [InlineData("public Task<IResult> Run(HttpRequest req, CancellationToken ct) => Handler.RunAsync(req.HttpContext, service, ct);")]
    [InlineData("public async Task<IResult> Run(HttpRequest req, CancellationToken ct) { return await Handler.RunAsync(req.Query[\"x\"], ct); }")]
    [InlineData("public IResult Run(HttpRequest req) => Handler.Run(req);")]
    [InlineData("public Task Run(ServiceBusReceivedMessage message, CancellationToken ct) => service.HandleAsync(message, \"tickets-low\", ct);")]
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
    public void The_metadata_reader_finds_methods_routes_levels_queues_and_schedules()
    {
        var functions = FunctionsMetadata.Read("""
            [{"name":"A","entryPoint":"N.C.A","bindings":[{"name":"req","direction":"In","type":"httpTrigger","authLevel":"Function","methods":["get"],"route":"api/a/{id}"},{"name":"$return","type":"http","direction":"Out"}]},
             {"name":"B","entryPoint":"N.C.B","bindings":[{"name":"m","direction":"In","type":"serviceBusTrigger","queueName":"tickets-low","connection":"ServiceBusConnection","cardinality":"One"}]},
             {"name":"C","entryPoint":"N.D.C","bindings":[{"name":"t","direction":"In","type":"timerTrigger","schedule":"0 */1 * * * *"}]}]
            """);

        Assert.Equal(["GET"], functions[0].HttpMethods);
        Assert.Equal(("api/a/{id}", "Function"), (functions[0].Route, functions[0].AuthorizationLevel));
        Assert.Equal(("N.C", "A"), (functions[0].TypeName, functions[0].MethodName));
        Assert.Equal(("tickets-low", "ServiceBusConnection", "One"), (functions[1].Queue, functions[1].Connection, functions[1].Cardinality));
        Assert.Equal("0 */1 * * * *", functions[2].Schedule);
    }

    private static MethodDeclarationSyntax Method(string method) =>
        CSharpSyntaxTree.ParseText($"public sealed class Sample(Service service) {{ {method} }}", cancellationToken: TestContext.Current.CancellationToken)
            .GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
}
