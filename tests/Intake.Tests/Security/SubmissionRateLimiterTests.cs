using System.Net;
using System.Net.Http.Json;
using Intake.Channels.WebForm;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Intake.Tests.Security;

/// <summary>Tests that measure the whole process's memory, so they run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>
/// Threat: the web form is anonymous, so its rate limit is the only brake on ticket spam. Keyed by the full client address
/// in one dictionary, it grew with every address an attacker rotated through (an IPv6 host owns a whole /64) and, past
/// 10,000 addresses, scanned them all under one lock on every request; and nothing capped one sending address that
/// arrives from many clients.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class SubmissionRateLimiterTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static ServiceProvider Limiter(WebFormOptions options) =>
        new ServiceCollection()
            .AddSingleton(Options.Create(options))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<SubmissionRateLimiter>()
            .BuildServiceProvider();

    private static string KeyOf(IPAddress address) => WebFormEndpoints.ClientKey(new DefaultHttpContext { Connection = { RemoteIpAddress = address } });

    [Fact]
    public void A_flood_of_a_million_distinct_ipv6_clients_keeps_the_limiter_small()
    {
        const int Clients = 1_000_000;
        const long Bound = 8 * 1024 * 1024;
        using var services = Limiter(new WebFormOptions { SubmissionsPerWindow = 20, Window = TimeSpan.FromMinutes(10) });
        var limiter = services.GetRequiredService<SubmissionRateLimiter>();
        limiter.TryAcquire(KeyOf(IPAddress.Loopback), out _);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var bytes = new byte[16];
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[15] = 1;
        for (var i = 1; i <= Clients; i++)
        {
            // Each client in a /64 of its own: the worst case, since addresses inside one /64 are one client.
            BitConverter.TryWriteBytes(bytes.AsSpan(4, 4), i);
            limiter.TryAcquire(KeyOf(new IPAddress(bytes)), out _);
            if (i % 10_000 == 0)
            {
                var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
                Assert.True(grown < Bound, $"after {i:N0} clients the limiter holds {grown / 1024 / 1024} MB more");
            }
        }

        GC.KeepAlive(limiter);
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    public void Addresses_of_one_client_share_one_limit(string first, string second)
    {
        using var services = Limiter(new WebFormOptions { SubmissionsPerWindow = 1, Window = TimeSpan.FromMinutes(10) });
        var limiter = services.GetRequiredService<SubmissionRateLimiter>();

        Assert.True(limiter.TryAcquire(KeyOf(IPAddress.Parse(first)), out _));
        Assert.False(limiter.TryAcquire(KeyOf(IPAddress.Parse(second)), out var retryAfter));
        Assert.True(retryAfter > TimeSpan.Zero);
    }

    [Fact]
    public async Task One_sending_address_is_capped_whatever_client_it_comes_from_and_however_it_is_spelt()
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string>
        {
            ["WebForm:SubmissionsPerWindow"] = "100",
            ["WebForm:SubmissionsPerAddress"] = "3",
        });
        using var client = host.CreateClient();
        string[] spellings = ["target@gmail.com", "tar.get+1@gmail.com", "TARGET+2@googlemail.com"];
        foreach (var email in spellings)
        {
            using var accepted = await client.PostAsJsonAsync(new Uri("/api/intake/web", UriKind.Relative), new { message = "hello", email }, Cancellation);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var api = await client.PostAsJsonAsync(new Uri("/api/intake/web", UriKind.Relative), new { message = "hello", email = "t.arget@gmail.com" }, Cancellation);
        using var page = await client.PostAsync(
            new Uri("/support", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["message"] = "hello", ["email"] = "target+3@gmail.com" }), Cancellation);

        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.InRange(api.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 600);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal(3, await host.CountTicketsAsync());
    }
}
