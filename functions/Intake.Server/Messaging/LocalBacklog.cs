using System.Collections.Concurrent;
using Intake.Messaging;
using Microsoft.Extensions.Options;

namespace Intake.Server.Messaging;

/// <summary>
/// Backpressure for one machine: the ticket messages this process queued that its own worker has not finished. While
/// there are <see cref="WorkerOptions.Backlog"/> of them, intake waits (up to <see cref="WorkerOptions.BacklogWait"/>,
/// then goes on: a message is never refused) so that new submissions cannot outrun the acknowledgements of earlier
/// ones — on a store as slow as Azurite a growing queue makes every queue operation slower, and the worker with it.
/// Off unless this process runs the queue worker (the Functions host scales its consumers instead). A message handled
/// by another instance is forgotten after a minute.
/// </summary>
internal sealed class LocalBacklog(TimeProvider time, IOptions<WorkerOptions> options) : IIntakeBackpressure
{
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, long> _outstanding = new(StringComparer.Ordinal);
    private TaskCompletionSource _eased = NewSignal();
    private volatile bool _active;

    public int Count => _outstanding.Count;

    /// <summary>Called by the worker of this process when it starts.</summary>
    internal void Activate() => _active = true;

    public void Added(string messageId)
    {
        if (_active)
        {
            _outstanding[messageId] = time.GetTimestamp();
        }
    }

    public void Finished(string? messageId)
    {
        if (messageId is not null && _outstanding.TryRemove(messageId, out _))
        {
            Interlocked.Exchange(ref _eased, NewSignal()).TrySetResult();
        }
    }

    /// <summary>Returns at once while the backlog is short; otherwise when it shortens, or after the longest wait.</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!_active || _outstanding.Count < settings.Backlog)
        {
            return;
        }

        var started = time.GetTimestamp();
        while (_outstanding.Count >= settings.Backlog && ForgetStale() >= settings.Backlog)
        {
            var left = settings.BacklogWait - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            var eased = Volatile.Read(ref _eased).Task;
            await Task.WhenAny(eased, Task.Delay(left < Recheck ? left : Recheck, time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private int ForgetStale()
    {
        foreach (var (id, since) in _outstanding)
        {
            if (time.GetElapsedTime(since) > ForgetAfter)
            {
                _outstanding.TryRemove(id, out _);
            }
        }

        return _outstanding.Count;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
