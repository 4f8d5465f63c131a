using System.Numerics;

namespace Intake.Triage.Text;

/// <summary>A phrase to find in folded text. Boundaries apply only where the phrase starts or ends with a word character.</summary>
internal readonly record struct Phrase(string Text, bool LeftBoundary, bool RightBoundary);

internal readonly record struct PhraseMatch(int Phrase, int Start, int End);

/// <summary>
/// Finds every occurrence of every phrase in one pass (Aho–Corasick). Built once; <see cref="FindAll"/> is
/// thread-safe and allocates nothing but what the caller's list needs to grow.
/// </summary>
internal sealed class PhraseMatcher
{
    private readonly int[] _rootNext;
    private readonly TransitionTable _next;
    private readonly int[] _fail;
    private readonly int[] _outputStart;
    private readonly int[] _outputs;
    private readonly Phrase[] _phrases;

    public PhraseMatcher(IReadOnlyList<Phrase> phrases)
    {
        _phrases = [.. phrases];
        var children = new List<Dictionary<char, int>> { new() };
        var terminal = new List<List<int>?> { null };
        for (var p = 0; p < _phrases.Length; p++)
        {
            var node = 0;
            foreach (var c in _phrases[p].Text)
            {
                if (!children[node].TryGetValue(c, out var next))
                {
                    next = children.Count;
                    children[node][c] = next;
                    children.Add([]);
                    terminal.Add(null);
                }

                node = next;
            }

            (terminal[node] ??= []).Add(p);
        }

        var count = children.Count;
        _fail = new int[count];
        _rootNext = new int[char.MaxValue + 1];
        _next = new TransitionTable(count);
        foreach (var (c, child) in children[0])
        {
            _rootNext[c] = child;
        }

        // Breadth-first: each node's failure link is the longest proper suffix that is also in the trie,
        // and its outputs are its own phrases followed by those of its failure link.
        var order = new List<int>(count);
        var queue = new Queue<int>();
        foreach (var child in children[0].Values)
        {
            queue.Enqueue(child);
        }

        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            order.Add(node);
            foreach (var (c, child) in children[node])
            {
                _next.Add(node, c, child);
                var f = _fail[node];
                while (f != 0 && !children[f].ContainsKey(c))
                {
                    f = _fail[f];
                }

                _fail[child] = children[f].TryGetValue(c, out var target) && target != child ? target : 0;
                queue.Enqueue(child);
            }
        }

        _outputStart = new int[count + 1];
        var outputs = new List<int>();
        var perNode = new List<int>[count];
        perNode[0] = [];
        foreach (var node in order)
        {
            var list = new List<int>();
            if (terminal[node] is { } own)
            {
                list.AddRange(own);
            }

            list.AddRange(perNode[_fail[node]]);
            perNode[node] = list;
        }

        for (var node = 0; node < count; node++)
        {
            _outputStart[node] = outputs.Count;
            outputs.AddRange(perNode[node]);
        }

        _outputStart[count] = outputs.Count;
        _outputs = [.. outputs];
    }

    public int PhraseCount => _phrases.Length;

    public Phrase this[int phrase] => _phrases[phrase];

    public void FindAll(ReadOnlySpan<char> folded, List<PhraseMatch> matches)
    {
        var state = 0;
        for (var i = 0; i < folded.Length; i++)
        {
            var c = folded[i];
            while (true)
            {
                if (state == 0)
                {
                    state = _rootNext[c];
                    break;
                }

                if (_next.TryGet(state, c, out var next))
                {
                    state = next;
                    break;
                }

                state = _fail[state];
            }

            var from = _outputStart[state];
            var to = _outputStart[state + 1];
            for (var o = from; o < to; o++)
            {
                var p = _outputs[o];
                var phrase = _phrases[p];
                var start = i + 1 - phrase.Text.Length;
                if (phrase.LeftBoundary && start > 0 && CharClass.IsWord(folded[start - 1]))
                {
                    continue;
                }

                if (phrase.RightBoundary && i + 1 < folded.Length && CharClass.IsWord(folded[i + 1]))
                {
                    continue;
                }

                matches.Add(new PhraseMatch(p, start, i + 1));
            }
        }
    }

    /// <summary>Open addressing over (node, char) pairs: one probe sequence, no per-node dictionaries at run time.</summary>
    private sealed class TransitionTable
    {
        private readonly ulong[] _keys;
        private readonly int[] _values;
        private readonly int _shift;

        public TransitionTable(int nodes)
        {
            var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, nodes * 2));
            _keys = new ulong[capacity];
            _values = new int[capacity];
            _shift = 64 - BitOperations.Log2((uint)capacity);
        }

        public void Add(int node, char c, int child)
        {
            var key = Key(node, c);
            var mask = _keys.Length - 1;
            var slot = Slot(key);
            while (_keys[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _keys[slot] = key;
            _values[slot] = child;
        }

        public bool TryGet(int node, char c, out int child)
        {
            var key = Key(node, c);
            var mask = _keys.Length - 1;
            var slot = Slot(key);
            while (true)
            {
                var k = _keys[slot];
                if (k == key)
                {
                    child = _values[slot];
                    return true;
                }

                if (k == 0)
                {
                    child = 0;
                    return false;
                }

                slot = (slot + 1) & mask;
            }
        }

        private static ulong Key(int node, char c) => ((ulong)(uint)node << 16) | c;

        private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
    }
}
