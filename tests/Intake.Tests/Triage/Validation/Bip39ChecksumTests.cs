using Intake.Triage.Validation;

namespace Intake.Tests.Triage.Validation;

public class Bip39ChecksumTests
{
    private static readonly Lazy<Dictionary<string, int>> EnglishIndices = new(LoadEnglishWordList);

    // trezor/python-mnemonic vectors.json, "english": entropy and mnemonic of every vector
    // (the passphrase "TREZOR" and the seed are not relevant to the checksum).
    public static TheoryData<string, string> TrezorEnglishVectors => new()
    {
        { "00000000000000000000000000000000", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about" },
        { "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "legal winner thank year wave sausage worth useful legal winner thank yellow" },
        { "80808080808080808080808080808080", "letter advice cage absurd amount doctor acoustic avoid letter advice cage above" },
        { "ffffffffffffffffffffffffffffffff", "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong" },
        { "000000000000000000000000000000000000000000000000", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent" },
        { "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal will" },
        { "808080808080808080808080808080808080808080808080", "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter always" },
        { "ffffffffffffffffffffffffffffffffffffffffffffffff", "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo when" },
        { "0000000000000000000000000000000000000000000000000000000000000000", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art" },
        { "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title" },
        { "8080808080808080808080808080808080808080808080808080808080808080", "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless" },
        { "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote" },
        { "7dce4ed2284c9134d026608ab684c05c", "lava include region explain simple omit dog slot melt reflect copy reward" },
        { "0ce452419635c1a5faf44d60f2029f73fdc43419b4de1f03", "artefact card motor cluster foster spray type meadow genius mosquito pond tree sword borrow grocery orange business burger" },
        { "00ac97c48106f0aeb8ba061e0250a559b3251dc35854e694780ba51d53a50120", "absent gorilla van acoustic humor firm title dolphin bulk barely citizen recall crane moment aspect appear track phrase actual enforce steel spoon afraid benefit" },
        { "5baf069620eff15c71dd97c9a6ee328f", "forum join pitch dove yellow purchase shuffle real situate danger million bunker" },
        { "977f8287f9ed670b8489838ab0476a63b65d4df12f406e68", "number winter peanut video stool magic banana corn melt lion surround shuffle grape plunge seven trend hover dwarf" },
        { "3edc83b60740d77af3afa2fcb82c2f1bc541ee4e2518ddef4996d32453f54a3c", "disagree tomato unique attend aspect runway solid violin witness scrap armed daring favorite warm decade perfect target kid grant play early wide cigar night" },
        { "63deb1e7f0c3de56f4ab43c9d2ae6c86", "glow void ketchup thunder digital clock sport half six nice open artefact" },
        { "e77c6500b49072aefdf0a8aa787cf557d1920e94103e0597", "trash tobacco dizzy hard already first water bench price sentence diary quick bomb also expect amazing airport royal" },
        { "89bb4bc5555992cdaf3444c5e7ca5a6e9f27efab894f1990bae41be8b2a26ea4", "meadow surge vanish primary odor grocery rubber mass shine dinner notable tag venue water purchase clarify book magic ribbon daughter menu eye ritual orchard" },
        { "00641669f095b433a304ed0f953f28eb", "about camera omit thrive forget border metal oval auto prepare sketch stomach" },
        { "b8b0ff94389d3ec591c7d2fb72d8d3666e4e52b8cdf5471d", "reward margin topic illness stadium glare either where window nothing crumble smoke top citizen tobacco salt either truth" },
        { "911fec0fbd88029f6fa99164896c18d898c9232af18bdcca3e42d53b86493104", "much youth advance kitchen lens exile salt cram goose enter alert raise milk muscle profit cousin system faint mouse price reveal cause series long" },
    };

    [Theory]
    [MemberData(nameof(TrezorEnglishVectors))]
    public void Accepts_trezor_english_vectors(string entropy, string mnemonic)
    {
        var indices = ToIndices(mnemonic);

        // The words carry the vector's entropy in their leading bits, so the word mapping is right.
        Assert.Equal(Convert.FromHexString(entropy), LeadingBytes(indices, entropy.Length / 2));
        Assert.True(Bip39Checksum.IsValid(indices));
    }

    [Theory]
    [MemberData(nameof(TrezorEnglishVectors))]
    public void Rejects_trezor_english_vectors_with_the_last_word_swapped_for_its_neighbour(string entropy, string mnemonic)
    {
        _ = entropy;
        var indices = ToIndices(mnemonic);

        // Flipping the lowest bit of the last word changes a checksum bit and leaves the entropy alone.
        indices[^1] ^= 1;

        Assert.False(Bip39Checksum.IsValid(indices));
    }

    [Theory]
    [MemberData(nameof(TrezorEnglishVectors))]
    public void Accepts_exactly_one_last_word_per_entropy_completion(string entropy, string mnemonic)
    {
        _ = entropy;
        var indices = ToIndices(mnemonic);
        var checksumBits = indices.Length / 3;

        var valid = 0;
        for (var candidate = 0; candidate < 2048; candidate++)
        {
            indices[^1] = candidate;
            if (Bip39Checksum.IsValid(indices))
            {
                valid++;
            }
        }

        // The last word holds 11 - checksumBits entropy bits; each completion has one valid checksum.
        Assert.Equal(1 << (11 - checksumBits), valid);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(16)]
    [InlineData(23)]
    [InlineData(25)]
    [InlineData(27)]
    [InlineData(48)]
    public void Rejects_word_counts_other_than_12_15_18_21_or_24(int count)
    {
        // Every index is in range; only the length is wrong.
        Assert.False(Bip39Checksum.IsValid(new int[count]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2048)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void Rejects_indices_outside_the_word_list(int index)
    {
        var indices = ToIndices("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about");
        Assert.True(Bip39Checksum.IsValid(indices));

        indices[5] = index;

        Assert.False(Bip39Checksum.IsValid(indices));
    }

    [Fact]
    public void Loads_the_standard_english_word_list()
    {
        Assert.Equal(2048, EnglishIndices.Value.Count);
        Assert.Equal(0, EnglishIndices.Value["abandon"]);
        Assert.Equal(2047, EnglishIndices.Value["zoo"]);
    }

    private static int[] ToIndices(string mnemonic) =>
        [.. mnemonic.Split(' ').Select(word => EnglishIndices.Value[word])];

    private static byte[] LeadingBytes(int[] indices, int count)
    {
        var bytes = new byte[count];
        for (var bit = 0; bit < count * 8; bit++)
        {
            var word = indices[bit / 11];
            if (((word >> (10 - (bit % 11))) & 1) != 0)
            {
                bytes[bit / 8] |= (byte)(0x80 >> (bit % 8));
            }
        }

        return bytes;
    }

    private static Dictionary<string, int> LoadEnglishWordList()
    {
        // Functions/Intake embeds Triage/Wordlists/english.txt under this name.
        using var stream = typeof(Bip39Checksum).Assembly.GetManifestResourceStream("Intake.Triage.Wordlists.english.txt")
            ?? throw new InvalidOperationException("english.txt is not embedded in the Intake assembly.");
        using var reader = new StreamReader(stream);
        var indices = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                indices.Add(line, indices.Count);
            }
        }

        return indices;
    }
}
