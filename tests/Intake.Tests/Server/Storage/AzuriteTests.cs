using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Intake.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Tests.Server.Storage;

public class AzuriteTests
{
    [Fact]
    public void Finds_the_repository_root_from_a_folder_below_it()
    {
        var root = Azurite.FindRepositoryRoot(AppContext.BaseDirectory);

        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, "package-lock.json")));
        Assert.True(File.Exists(Path.Combine(root, "Intake.sln")));
    }

    [Fact]
    public void Finds_no_root_where_no_package_json_depends_on_azurite()
    {
        var folder = Directory.CreateTempSubdirectory("intake-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "package.json"), """{"name":"other","dependencies":{"left-pad":"1.3.0"}}""");
            var below = folder.CreateSubdirectory("src");

            Assert.Null(Azurite.FindRepositoryRoot(below.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Writes_the_development_connection_string_for_its_ports()
    {
        Assert.Equal(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
            "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;",
            AzuritePorts.Default.ConnectionString);
    }

    [Fact]
    public async Task Free_ports_are_three_different_ports_nobody_answers_on()
    {
        var ports = AzuritePorts.Free();

        Assert.Equal(3, ports.All.Distinct().Count());
        Assert.All(ports.All, port => Assert.InRange(port, 1, 65535));
        Assert.Equal(0, await ports.CountAnsweringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Fails_with_Azurite_output_when_it_exits_before_listening()
    {
        var free = AzuritePorts.Free();
        using var squatter = new TcpListener(IPAddress.Loopback, free.Queue);
        squatter.Start();
        var root = Azurite.FindRepositoryRoot(AppContext.BaseDirectory)!;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Azurite.StartAsync(root, free, NullLogger.Instance, TestContext.Current.CancellationToken));

        Assert.Contains("exited with code", error.Message, StringComparison.Ordinal);
        Assert.Contains("EADDRINUSE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Started_again_on_its_location_and_ports_it_has_what_it_acknowledged_before_it_was_stopped()
    {
        var root = Azurite.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var location = Directory.CreateTempSubdirectory("intake-azurite-");
        var ports = AzuritePorts.Free();
        var cancellationToken = TestContext.Current.CancellationToken;
        try
        {
            await using (var first = await Azurite.StartAsync(root, ports, location.FullName, NullLogger.Instance, cancellationToken))
            {
                var table = new TableServiceClient(first.ConnectionString).GetTableClient("kept");
                await table.CreateIfNotExistsAsync(cancellationToken);
                await table.AddEntityAsync(new TableEntity("p", "r") { ["Text"] = "written before the stop" }, cancellationToken);

                Assert.True(await first.StopAsync(cancellationToken));
                Assert.Equal(0, await ports.CountAnsweringAsync(cancellationToken));
            }

            await using var again = await Azurite.StartAsync(root, ports, location.FullName, NullLogger.Instance, cancellationToken);
            var kept = await new TableServiceClient(again.ConnectionString).GetTableClient("kept").GetEntityAsync<TableEntity>("p", "r", cancellationToken: cancellationToken);

            Assert.Equal("written before the stop", kept.Value.GetString("Text"));
        }
        finally
        {
            location.Delete(recursive: true);
        }
    }
}
