using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Intake.Benchmarks.Load;

/// <summary>Storage requests by phase (web request or worker) and operation, such as <c>upsert TicketIndex reference row</c>.</summary>
internal sealed class StorageRequestCounter
{
    /// <summary>Not a request: how many queue messages the receives returned.</summary>
    public const string MessagesReceived = "messages received";

    /// <summary>Set for the duration of a web request; requests made outside one are the worker's.</summary>
    public static readonly AsyncLocal<string?> Phase = new();

    private readonly ConcurrentDictionary<(string Phase, string Operation), int> _counts = new();

    public void Add(string operation, int count = 1) => _counts.AddOrUpdate((Phase.Value ?? "worker", operation), count, (_, n) => n + count);

    public int Count(string phase, string operationPrefix) =>
        _counts.Where(c => c.Key.Phase == phase && c.Key.Operation.StartsWith(operationPrefix, StringComparison.Ordinal)).Sum(c => c.Value);

    public void Reset() => _counts.Clear();

    public IReadOnlyDictionary<(string Phase, string Operation), int> Snapshot() => new Dictionary<(string, string), int>(_counts);
}

/// <summary>Counts each request to the Table or Queue service under a name for what it does, read from its URL (and body).</summary>
internal sealed partial class CountingHandler(StorageRequestCounter counter, string service) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath);
        var resource = path[(path.IndexOf('/', 1) + 1)..];
        var operation = service == "table"
            ? await TableOperationAsync(request, resource, cancellationToken).ConfigureAwait(false)
            : QueueOperation(request.Method, resource, request.RequestUri.Query);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (operation.StartsWith("receive", StringComparison.Ordinal))
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var messages = Regex.Count(body, "<QueueMessage>");
            counter.Add(StorageRequestCounter.MessagesReceived, messages);
            operation = messages == 0 ? operation.Replace("receive", "receive (empty)", StringComparison.Ordinal) : operation;
        }

        counter.Add(operation);
        return response;
    }

    private static async Task<string> TableOperationAsync(HttpRequestMessage request, string resource, CancellationToken cancellationToken)
    {
        if (resource == "$batch")
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return $"entity group transaction Tickets ({BatchOperation().Count(body)} entities)";
        }

        if (resource.StartsWith("Tables", StringComparison.Ordinal))
        {
            return "create table";
        }

        var table = resource.Contains("TicketIndex", StringComparison.Ordinal) ? "TicketIndex" : "Tickets";
        var keys = Keys().Match(resource);
        var (partition, row) = keys.Success ? (keys.Groups[1].Value, keys.Groups[2].Value) : (null, null);
        var method = request.Method.Method;
        if (method == "POST" && request.Content is not null)
        {
            using var entity = JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            partition = entity.RootElement.GetProperty("PartitionKey").GetString();
            row = entity.RootElement.GetProperty("RowKey").GetString();
        }

        var verb = method switch
        {
            "GET" => keys.Success ? "read" : "query",
            "PUT" => request.Headers.IfMatch.Count > 0 ? "update" : "upsert",
            "POST" => "insert",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
        return $"{verb} {table} {Kind(table, partition, row)}";
    }

    private static string Kind(string table, string? partition, string? row) => (table, partition, row) switch
    {
        (_, null, _) => "rows",
        ("Tickets", _, "ticket") => "ticket row",
        ("Tickets", _, var r) when r!.StartsWith("m|", StringComparison.Ordinal) => "message row",
        ("Tickets", _, var r) when r!.StartsWith("o|", StringComparison.Ordinal) => "outbound row",
        (_, "ref", _) => "reference row",
        (_, var p, _) when p.StartsWith("status|", StringComparison.Ordinal) => "status listing row",
        (_, var p, _) when p.StartsWith("contact|", StringComparison.Ordinal) => "contact row",
        (_, var p, _) when p.StartsWith("dedupe|", StringComparison.Ordinal) => "dedupe row",
        _ => "row",
    };

    private static string QueueOperation(HttpMethod method, string resource, string query)
    {
        var parts = resource.Split('/');
        var queue = parts[0][Math.Max(0, parts[0].IndexOf("tickets-", StringComparison.Ordinal))..];
        return (method.Method, parts.Length) switch
        {
            ("GET", 2) => $"receive {queue}",
            ("POST", 2) => $"send message {queue}",
            ("DELETE", 3) => $"delete message {queue}",
            ("PUT", 3) => $"update message {queue}",
            ("GET", 1) when query.Contains("comp=metadata", StringComparison.Ordinal) => $"queue properties {queue}",
            ("PUT", 1) => $"create queue {queue}",
            _ => $"{method.Method.ToLowerInvariant()} {resource}",
        };
    }

    [GeneratedRegex(@"PartitionKey='([^']*)',RowKey='([^']*)'")]
    private static partial Regex Keys();

    [GeneratedRegex(@"^(POST|PUT|MERGE|PATCH|DELETE) http", RegexOptions.Multiline)]
    private static partial Regex BatchOperation();
}
