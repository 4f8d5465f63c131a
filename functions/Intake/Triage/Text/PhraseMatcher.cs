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
    private readonly int[] _outputFrom;
    private readonly int[] _outputTo;
    private readonly int[] _outputs;
    private readonly Phrase[] _phrases;

    public PhraseMatcher(IReadOnlyList<Phrase> phrases)
    {
        _phrases = [.. phrases];

        // The trie as flat arrays — one dictionary of (node, char) edges, each node's children and phrases as linked
        // lists — so that building from a hundred thousand phrases allocates a few arrays, not a collection per node.
        var edges = new Dictionary<ulong, int>();
        var firstChild = new List<int> { -1 };
        var nextSibling = new List<int> { -1 };
        var label = new List<char> { '\0' };
        var ownFirst = new List<int> { -1 };
        var ownLast = new List<int> { -1 };
        var ownNext = new int[_phrases.Length];
        for (var p = 0; p < _phrases.Length; p++)
        {
            var node = 0;
            foreach (var c in _phrases[p].Text)
            {
                if (!edges.TryGetValue(TransitionTable.Key(node, c), out var next))
                {
                    next = firstChild.Count;
                    edges.Add(TransitionTable.Key(node, c), next);
                    firstChild.Add(-1);
                    nextSibling.Add(firstChild[node]);
                    firstChild[node] = next;
                    label.Add(c);
                    ownFirst.Add(-1);
                    ownLast.Add(-1);
                }

                node = next;
            }

            // Phrases ending here, in the order they were given.
            ownNext[p] = -1;
            if (ownLast[node] < 0)
            {
                ownFirst[node] = p;
            }
            else
            {
                ownNext[ownLast[node]] = p;
            }

            ownLast[node] = p;
        }

        var count = firstChild.Count;
        _fail = new int[count];
        _rootNext = new int[char.MaxValue + 1];
        _next = new TransitionTable(count);

        // Breadth-first: each node's failure link is the longest proper suffix that is also in the trie,
        // and its outputs are its own phrases followed by those of its failure link.
        var order = new List<int>(count);
        var queue = new Queue<int>();
        for (var child = firstChild[0]; child >= 0; child = nextSibling[child])
        {
            _rootNext[label[child]] = child;
            queue.Enqueue(child);
        }

        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            order.Add(node);
            for (var child = firstChild[node]; child >= 0; child = nextSibling[child])
            {
                var c = label[child];
                _next.Add(node, c, child);
                var f = _fail[node];
                while (f != 0 && !edges.ContainsKey(TransitionTable.Key(f, c)))
                {
                    f = _fail[f];
                }

                _fail[child] = edges.TryGetValue(TransitionTable.Key(f, c), out var target) && target != child ? target : 0;
                queue.Enqueue(child);
            }
        }

        // A node's failure link is shallower, so its outputs are already laid out when the node's are.
        _outputFrom = new int[count];
        _outputTo = new int[count];
        var outputs = new List<int>();
        foreach (var node in order)
        {
            var from = outputs.Count;
            for (var p = ownFirst[node]; p >= 0; p = ownNext[p])
            {
                outputs.Add(p);
            }

            var fail = _fail[node];
            for (var k = _outputFrom[fail]; k < _outputTo[fail]; k++)
            {
                outputs.Add(outputs[k]);
            }

            _outputFrom[node] = from;
            _outputTo[node] = outputs.Count;
        }

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

            var from = _outputFrom[state];
            var to = _outputTo[state];
            for (var o = from; o < to; o++)
            {
                var p = _outputs[o];
                var phrase = _phrases[p];
                var start = i + 1 - phrase.Text.Length;
                if (phrase.LeftBoundary && start > 0 && CharClass.IsWord(folded[start - 1]))
                {
                    continue;
                }

                if (phrase.RightBoundary && i + 1 < folded.Length && (CharClass.IsWord(folded[i + 1]) || ContinuesNumber(folded, i)))
                {
                    continue;
                }

                matches.Add(new PhraseMatch(p, start, i + 1));
            }
        }
    }

    /// <summary>"0" does not end in "0.004" or "0,5": a number goes on past its decimal mark.</summary>
    private static bool ContinuesNumber(ReadOnlySpan<char> folded, int last) =>
        char.IsAsciiDigit(folded[last]) && last + 2 < folded.Length && folded[last + 1] is '.' or ',' && char.IsAsciiDigit(folded[last + 2]);

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

        public static ulong Key(int node, char c) => ((ulong)(uint)node << 16) | c;

        private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
    }
}
