using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Intake.Server.Storage;

/// <summary>The blob, queue and table ports of one Azurite on 127.0.0.1.</summary>
internal readonly record struct AzuritePorts(int Blob, int Queue, int Table)
{
    /// <summary>Azurite's own defaults, which tools such as Storage Explorer expect.</summary>
    public static AzuritePorts Default { get; } = new(10000, 10001, 10002);

    /// <summary>Azurite's published development account. The key is the same in every installation, not a secret.</summary>
    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Three ports nobody listens on now, chosen by the operating system (bind to port 0).</summary>
    public static AzuritePorts Free()
    {
        // Hold all three listeners at once so that the system cannot hand out the same port twice.
        var listeners = new List<TcpListener>(3);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return new(Port(listeners[0]), Port(listeners[1]), Port(listeners[2]));
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }

        static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The development-storage connection string with explicit endpoints for these ports.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{Blob}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{Queue}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{Table}/{AccountName};");

    public int[] All => [Blob, Queue, Table];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"blob {Blob}, queue {Queue}, table {Table}");

    /// <summary>How many of the three ports accept a TCP connection on 127.0.0.1 now.</summary>
    public async Task<int> CountAnsweringAsync(CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(All.Select(port => AnswersAsync(port, cancellationToken))).ConfigureAwait(false);
        return answers.Count(answered => answered);
    }

    private static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        using var client = new TcpClient(AddressFamily.InterNetwork);
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
