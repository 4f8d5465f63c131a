using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Intake.Telemetry;
using Intake.Tests.Integration;

namespace Intake.Tests.Telemetry;

/// <summary>
/// What operators see of a message through <see cref="IntakeTelemetry"/>: one trace from intake through the queue to the
/// acknowledgement's send, the acknowledgement counted by kind, channel and status, and nothing a customer wrote in any tag.
/// </summary>
public sealed class IntakeTelemetryTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_submission_is_one_trace_from_intake_to_its_acknowledgement_and_its_acknowledgement_is_counted()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == IntakeTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(tracing);
        var measurements = new ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)>();
        using var metering = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == IntakeTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metering.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString()))));
        metering.Start();

        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();
        const string Secretish = "my withdrawal of 3 BTC to bc1q-telemetry-probe is pending";
        using var response = await client.PostAsJsonAsync(new Uri("/api/intake/web", UriKind.Relative), new { message = Secretish, email = "trace-probe@example.com" }, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ticketId = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("ticketId").GetString()!;

        var send = await IntakeHost.WaitForAsync(
            () => Task.FromResult(activities.FirstOrDefault(a => a.OperationName == "intake.send" && Equals(a.GetTagItem("intake.ticket_id"), ticketId))),
            "the acknowledgement's send traced");

        // The send's span stops inside the handling's, which stops a moment later: wait for it too before counting.
        await IntakeHost.WaitForAsync(
            () => Task.FromResult(activities.FirstOrDefault(a => a.OperationName == "intake.handle" && Equals(a.GetTagItem("intake.ticket_id"), ticketId))),
            "the queue message's handling traced");
        var handle = Assert.Single(activities, a => a.OperationName == "intake.handle" && Equals(a.GetTagItem("intake.ticket_id"), ticketId));
        Assert.Equal(handle.TraceId, send.TraceId);
        Assert.Contains(activities, a => a.OperationName == "intake.accept" && a.TraceId == handle.TraceId);
        Assert.Equal("sent", send.GetTagItem("intake.outbound.status"));
        Assert.Contains(measurements, m => m.Instrument == "intake.outbound" && m.Tags["kind"] == "acknowledgement" && m.Tags["status"] == "sent");
        var tagValues = activities.Where(a => a.TraceId == handle.TraceId).SelectMany(a => a.TagObjects).Select(t => t.Value?.ToString() ?? "")
            .Concat(measurements.SelectMany(m => m.Tags.Values).Select(v => v ?? ""));
        Assert.DoesNotContain(tagValues, v => v.Contains("bc1q-telemetry-probe", StringComparison.Ordinal) || v.Contains("trace-probe@", StringComparison.Ordinal));
    }
}
