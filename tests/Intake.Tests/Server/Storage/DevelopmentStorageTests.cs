using System.Net;
using System.Net.Sockets;
using Intake.Hosting;
using Intake.Server.Storage;
using Intake.Storage;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Tests.Server.Storage;

public class DevelopmentStorageTests(AzuriteFixture azurite)
{
    private const string Name = StorageAccount.ConnectionSetting;

    [Fact]
    public async Task Leaves_a_configured_connection_string_alone()
    {
        var configuration = Configuration(azurite.ConnectionString);
        await using var storage = Storage(configuration, Environments.Production, AzuritePorts.Free());

        await storage.StartingAsync(TestContext.Current.CancellationToken);

        Assert.Equal(azurite.ConnectionString, configuration[Name]);
    }

    [Fact]
    public void The_server_in_Development_keeps_a_connection_string_given_to_it()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseEnvironment(Environments.Development)
            .UseSetting(Name, azurite.ConnectionString));

        using var client = factory.CreateClient();

        Assert.Equal(azurite.ConnectionString, factory.Services.GetRequiredService<IConfiguration>()[Name]);
    }

    [Fact]
    public void The_server_refuses_to_start_outside_Development_without_a_connection_string()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseEnvironment(Environments.Production)
            .UseSetting(Name, ""));

        // Program checks the settings before the host starts, prints the problem and exits; the factory sees a host that never started.
        _ = factory.Services;
        var problem = IntakeRun.ConfigurationProblem(factory.Services);

        Assert.False(factory.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.IsCancellationRequested);
        Assert.Contains("AzureWebJobsStorage is not configured", problem, StringComparison.Ordinal);
        Assert.Contains("this is Production", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uses_the_Azurite_that_already_answers_in_Development_and_leaves_it_running()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var configuration = Configuration(null);
        await using var storage = Storage(configuration, Environments.Development, azurite.Ports);

        await storage.StartingAsync(cancellationToken);
        await storage.StoppedAsync(cancellationToken);

        Assert.Equal(azurite.ConnectionString, configuration[Name]);
        Assert.Equal(3, await azurite.Ports.CountAnsweringAsync(cancellationToken));
    }

    [Fact]
    public async Task Starts_Azurite_in_Development_when_nothing_answers_and_stops_it_when_the_app_stops()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ports = AzuritePorts.Free();
        var configuration = Configuration(null);
        await using var storage = Storage(configuration, Environments.Development, ports);

        await storage.StartingAsync(cancellationToken);
        var answeringWhileRunning = await ports.CountAnsweringAsync(cancellationToken);
        await storage.StoppedAsync(cancellationToken);

        Assert.Equal(ports.ConnectionString, configuration[Name]);
        Assert.Equal(3, answeringWhileRunning);
        Assert.Equal(0, await ports.CountAnsweringAsync(cancellationToken));
    }

    [Fact]
    public async Task Refuses_ports_that_only_partly_answer()
    {
        var ports = AzuritePorts.Free();
        using var squatter = new TcpListener(IPAddress.Loopback, ports.Table);
        squatter.Start();
        var configuration = Configuration(null);
        await using var storage = Storage(configuration, Environments.Development, ports);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.StartingAsync(TestContext.Current.CancellationToken));

        Assert.Contains("only some of the ports", error.Message, StringComparison.Ordinal);
        Assert.Null(configuration[Name]);
    }

    private static IConfigurationRoot Configuration(string? connectionString) =>
        new ConfigurationBuilder().AddInMemoryCollection([new(Name, connectionString)]).Build();

    private static DevelopmentStorage Storage(IConfiguration configuration, string environmentName, AzuritePorts ports) =>
        new(configuration,
            new HostingEnvironment { EnvironmentName = environmentName, ContentRootPath = AppContext.BaseDirectory },
            NullLogger<DevelopmentStorage>.Instance,
            ports);
}
