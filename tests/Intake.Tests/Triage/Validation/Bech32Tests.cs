using Intake.Triage.Validation;

namespace Intake.Tests.Triage.Validation;

public class Bech32Tests
{
    // BIP-173, "Test vectors": strings that are valid Bech32.
    [Theory]
    [InlineData("A12UEL5L")]
    [InlineData("a12uel5l")]
    [InlineData("an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs")]
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw")]
    [InlineData("11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j")]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w")]
    [InlineData("?1ezyfcl")]
    public void Accepts_bip173_valid_bech32_strings(string text)
    {
        Assert.Equal(Bech32Encoding.Bech32, Bech32.Decode(text, new byte[Bech32.MaxLength], out _, out _));
    }

    // BIP-350, "Test vectors for Bech32m": strings that are valid Bech32m.
    [Theory]
    [InlineData("A1LQFN3A")]
    [InlineData("a1lqfn3a")]
    [InlineData("an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6")]
    [InlineData("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx")]
    [InlineData("11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8")]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperredlc445v")]
    [InlineData("?1v759aa")]
    public void Accepts_bip350_valid_bech32m_strings(string text)
    {
        Assert.Equal(Bech32Encoding.Bech32m, Bech32.Decode(text, new byte[Bech32.MaxLength], out _, out _));
    }

    // BIP-173, "Test vectors": strings that are not valid Bech32, with the reason given there.
    [Theory]
    [InlineData("\u00201nwldj5")] // HRP character out of range
    [InlineData("\u007F1axkwrx")] // HRP character out of range
    [InlineData("\u00801eym55h")] // HRP character out of range
    [InlineData("an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx")] // overall max length exceeded
    [InlineData("pzry9x0s0muk")] // No separator character
    [InlineData("1pzry9x0s0muk")] // Empty HRP
    [InlineData("x1b4n0q5v")] // Invalid data character
    [InlineData("li1dgmt3")] // Too short checksum
    [InlineData("de1lg7wt\u00FF")] // Invalid character in checksum
    [InlineData("A1G7SGD8")] // checksum calculated with uppercase form of HRP
    [InlineData("10a06t8")] // empty HRP
    [InlineData("1qzzfhee")] // empty HRP
    public void Rejects_bip173_invalid_bech32_strings(string text)
    {
        Assert.Equal(Bech32Encoding.None, Bech32.Decode(text, new byte[Bech32.MaxLength], out var hrpLength, out var dataLength));
        Assert.Equal(0, hrpLength);
        Assert.Equal(0, dataLength);
    }

    // BIP-350, "Test vectors for Bech32m": strings that are not valid Bech32m, with the reason given there.
    [Theory]
    [InlineData("\u00201xj0phk")] // HRP character out of range
    [InlineData("\u007F1g6xzxy")] // HRP character out of range
    [InlineData("\u00801vctc34")] // HRP character out of range
    [InlineData("an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4")] // overall max length exceeded
    [InlineData("qyrz8wqd2c9m")] // No separator character
    [InlineData("1qyrz8wqd2c9m")] // Empty HRP
    [InlineData("y1b0jsk6g")] // Invalid data character
    [InlineData("lt1igcx5c0")] // Invalid data character
    [InlineData("in1muywd")] // Too short checksum
    [InlineData("mm1crxm3i")] // Invalid character in checksum
    [InlineData("au1s5cgom")] // Invalid character in checksum
    [InlineData("M1VUXWEZ")] // checksum calculated with uppercase form of HRP
    [InlineData("16plkw9")] // empty HRP
    [InlineData("1p2gdwpf")] // empty HRP
    public void Rejects_bip350_invalid_bech32m_strings(string text)
    {
        Assert.Equal(Bech32Encoding.None, Bech32.Decode(text, new byte[Bech32.MaxLength], out var hrpLength, out var dataLength));
        Assert.Equal(0, hrpLength);
        Assert.Equal(0, dataLength);
    }

    [Fact]
    public void Decodes_the_human_readable_part_and_data_values_without_the_checksum()
    {
        // BIP-173 vector whose data part lists the whole character set in value order.
        const string Text = "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw";
        var data5 = new byte[Bech32.MaxLength];

        Assert.Equal(Bech32Encoding.Bech32, Bech32.Decode(Text, data5, out var hrpLength, out var dataLength));
        Assert.Equal("abcdef", Text[..hrpLength]);
        Assert.Equal(32, dataLength);
        for (var i = 0; i < 32; i++)
        {
            Assert.Equal(i, data5[i]);
        }
    }

    [Fact]
    public void Uses_the_last_separator_when_the_human_readable_part_contains_ones()
    {
        const string Text = "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j";
        var data5 = new byte[Bech32.MaxLength];

        Assert.Equal(Bech32Encoding.Bech32, Bech32.Decode(Text, data5, out var hrpLength, out var dataLength));
        Assert.Equal(1, hrpLength);
        Assert.Equal(82, dataLength);
        Assert.All(data5[..dataLength], value => Assert.Equal(0, value));
    }

    [Fact]
    public void Returns_none_when_the_data_buffer_is_too_small()
    {
        const string Text = "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw";

        Assert.Equal(Bech32Encoding.None, Bech32.Decode(Text, new byte[31], out _, out _));
        Assert.Equal(Bech32Encoding.Bech32, Bech32.Decode(Text, new byte[32], out _, out _));
        Assert.Equal(Bech32Encoding.Bech32, Bech32.Decode("A12UEL5L", [], out _, out var dataLength));
        Assert.Equal(0, dataLength);
    }

    [Fact]
    public void Detects_every_single_character_substitution()
    {
        const string Text = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
        const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        var chars = Text.ToCharArray();
        for (var i = 3; i < chars.Length; i++)
        {
            var original = chars[i];
            foreach (var replacement in Charset)
            {
                if (replacement == original)
                {
                    continue;
                }

                chars[i] = replacement;
                Assert.Equal(Bech32Encoding.None, Bech32.Decode(chars, new byte[Bech32.MaxLength], out _, out _));
            }

            chars[i] = original;
        }
    }

    // BIP-173 and BIP-350 valid segwit addresses with the scriptPubKey they translate to. BIP-350 repeats
    // the BIP-173 version 0 addresses, so each address appears once.
    [Theory]
    [InlineData("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6")]
    [InlineData("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262")]
    [InlineData("tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433")]
    [InlineData("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6")]
    [InlineData("BC1SW50QGDZ25J", "6002751e")]
    [InlineData("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323")]
    [InlineData("tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433")]
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")]
    public void Accepts_bip173_and_bip350_valid_segwit_addresses(string address, string scriptPubKey)
    {
        Assert.True(Bech32.IsSegwitAddress(address));
        Assert.Equal(Convert.FromHexString(scriptPubKey), KeyIoVectors.SegwitScriptPubKey(address));
    }

    // BIP-173 listed these version 1+ addresses as valid; BIP-350 moved version 1+ to Bech32m, so their
    // Bech32 checksum still verifies but they are no longer valid segwit addresses.
    [Theory]
    [InlineData("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx", "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6")]
    [InlineData("BC1SW50QA3JX3S", "6002751e")]
    [InlineData("bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj", "5210751e76e8199196d454941c45d1b3a323")]
    public void Rejects_bip173_version_1_and_later_addresses_superseded_by_bip350(string address, string scriptPubKey)
    {
        Assert.Equal(Bech32Encoding.Bech32, Bech32.Decode(address, new byte[Bech32.MaxLength], out _, out _));
        Assert.Equal(Convert.FromHexString(scriptPubKey), KeyIoVectors.SegwitScriptPubKey(address));
        Assert.False(Bech32.IsSegwitAddress(address));
    }

    // BIP-173 invalid segwit addresses, with the reason given there. The last one is from an earlier
    // revision of the BIP's list.
    [Theory]
    [InlineData("tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty")] // Invalid human-readable part
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")] // Invalid checksum
    [InlineData("BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2")] // Invalid witness version
    [InlineData("bc1rw5uspcuh")] // Invalid program length
    [InlineData("bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90")] // Invalid program length
    [InlineData("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P")] // Invalid program length for witness version 0 (per BIP141)
    [InlineData("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7")] // Mixed case
    [InlineData("bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du")] // zero padding of more than 4 bits
    [InlineData("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv")] // Non-zero padding in 8-to-5 conversion
    [InlineData("bc1gmk9yu")] // Empty data section
    [InlineData("tb1pw508d6qejxtdg4y5r3zarqfsj6c3")] // zero padding of more than 4 bits
    public void Rejects_bip173_invalid_segwit_addresses(string address)
    {
        Assert.False(Bech32.IsSegwitAddress(address));
    }

    // BIP-350 invalid segwit addresses, with the reason given there.
    [Theory]
    [InlineData("tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut")] // Invalid human-readable part
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd")] // Invalid checksum (Bech32 instead of Bech32m)
    [InlineData("tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf")] // Invalid checksum (Bech32 instead of Bech32m)
    [InlineData("BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL")] // Invalid checksum (Bech32 instead of Bech32m)
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh")] // Invalid checksum (Bech32m instead of Bech32)
    [InlineData("tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47")] // Invalid checksum (Bech32m instead of Bech32)
    [InlineData("bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4")] // Invalid character in checksum
    [InlineData("BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R")] // Invalid witness version
    [InlineData("bc1pw5dgrnzv")] // Invalid program length (1 byte)
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav")] // Invalid program length (41 bytes)
    [InlineData("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P")] // Invalid program length for witness version 0 (per BIP141)
    [InlineData("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq")] // Mixed case
    [InlineData("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf")] // zero padding of more than 4 bits
    [InlineData("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j")] // Non-zero padding in 8-to-5 conversion
    [InlineData("bc1gmk9yu")] // Empty data section
    public void Rejects_bip350_invalid_segwit_addresses(string address)
    {
        Assert.False(Bech32.IsSegwitAddress(address));
    }

    // bitcoin/bitcoin src/test/data/key_io_valid.json: segwit addresses for main, testnet4, signet and
    // regtest (tryCaseFlip is set on all of them, so the uppercase form is checked too).
    [Theory]
    [InlineData("bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv", "00146100fc6343edc8c874496cb2f5bbfec88ea9b77c")]
    [InlineData("bc1qyucykdlhp62tezs0hagqury402qwhk589q80tqs5myh3rxq34nwqhkdhv7", "002027304b37f70e94bc8a0fbf500e0c957a80ebda87280ef58214d92f119811acdc")]
    [InlineData("bc1p83n3au0rjylefxq2nc2xh2y4jzz4pm6zxj4mw5pagdjjr2a9f36s6jjnnu", "51203c671ef1e3913f94980a9e146ba895908550ef4234abb7503d436521aba54c75")]
    [InlineData("bc1z2rksukkjr8", "520250ed")]
    [InlineData("tb1qcrh3yqn4nlleplcez2yndq2ry8h9ncg3qh7n54", "0014c0ef1202759fff90ff19128936814321ee59e111")]
    [InlineData("tb1quyl9ujpgwr2chdzdnnalen48sup245vdfnh2jxhsuq3yx80rrwlq5hqfe4", "0020e13e5e482870d58bb44d9cfbfccea78702aad18d4ceea91af0e022431de31bbe")]
    [InlineData("tb1p35n52jy6xkm4wd905tdy8qtagrn73kqdz73xe4zxpvq9t3fp50aqk3s6gz", "51208d2745489a35b75734afa2da43817d40e7e8d80d17a26cd4460b0055c521a3fa")]
    [InlineData("tb1rgv5m6uvdk3kc7qsuz0c79v88ycr5w4wa", "53104329bd718db46d8f021c13f1e2b0e726")]
    [InlineData("tb1q3vya2h5435jkugq2few7dmktlrwq4ejmfaw7kr", "00148b09d55e958d256e200a4e5de6eecbf8dc0ae65b")]
    [InlineData("tb1qxkhrl2s6ttrclckldruea0e8anhrehffl8xv7t0pdyrzm08v2hyqy408nf", "002035ae3faa1a5ac78fe2df68f99ebf27ecee3cdd29f9cccf2de169062dbcec55c8")]
    [InlineData("tb1pae5um27ahn8n73pgexe3kcwlp8dhswpn684h2k2w6t9a7w3eq65qephd5y", "5120ee69cdabddbccf3f4428c9b31b61df09db783833d1eb75594ed2cbdf3a3906a8")]
    [InlineData("tb1rx9n9g37az8mu236e5jpxdt0m67y4fuq8rhs0ss3djnm0kscfrwvq0ntlyg", "532031665447dd11f7c54759a48266adfbd78954f0071de0f8422d94f6fb43091b98")]
    [InlineData("bcrt1qdavt4j2sd7dlhqsavtnfxvzppw6k7qy97tmnu9", "00146f58bac9506f9bfb821d62e69330410bb56f0085")]
    [InlineData("bcrt1qan8gntac7z7me2ejt4hpru42ad2f759fmy0m3ejvs98656znv7eqga4uhv", "0020ecce89afb8f0bdbcab325d6e11f2aaeb549f50a9d91fb8e64c814faa685367b2")]
    [InlineData("bcrt1pfwxjqvtt4tcxrtdluukfmy2dv7xd2qzdfy6kajv5nwn4yam3wxkq3553uh", "51204b8d20316baaf061adbfe72c9d914d678cd5004d49356ec9949ba752777171ac")]
    [InlineData("bcrt1sx6p8njlx7h9mc2agz4yg82dzne23050ncq72cneeecez2pst8mahn8xecsf8g6hzx94420", "6028368279cbe6f5cbbc2ba8154883a9a29e5517d1f3c03cac4f39ce3225060b3efb799cd9c412746ae2")]
    [InlineData("bc1qhxt04s5xnpy0kxw4x99n5hpdf5pmtzpqs52es2", "0014b996fac2869848fb19d5314b3a5c2d4d03b58820")]
    [InlineData("bc1qgc9ljrvdf2e0zg9rmmq86xklqwfys7r6wptjlacdgrcdc7sa6ggqu4rrxf", "0020460bf90d8d4ab2f120a3dec07d1adf039248787a70572ff70d40f0dc7a1dd210")]
    [InlineData("bc1pve739yap4uxjvfk0jrey69078u0gasm2nwvv483ec6zkzulgw9xqu4w9fd", "5120667d1293a1af0d2626cf90f24d15fe3f1e8ec36a9b98ca9e39c6856173e8714c")]
    [InlineData("bc1zmjtqxkzs89", "5202dc96")]
    [InlineData("tb1ql4k5ayv7p7w0t0ge7tpntgpkgw53g2payxkszr", "0014fd6d4e919e0f9cf5bd19f2c335a03643a914283d")]
    [InlineData("tb1q9jx3x2qqdpempxrcfgyrkjd5fzeacaqj4ua7cs7fe2sfd2wdaueq5wn26y", "00202c8d1328006873b098784a083b49b448b3dc7412af3bec43c9caa096a9cdef32")]
    [InlineData("tb1pdswckwd9ym5yf5eyzg8j4jjwnzla8y0tf9cp7aasfkek0u29sz9qfr00yf", "51206c1d8b39a526e844d324120f2aca4e98bfd391eb49701f77b04db367f145808a")]
    [InlineData("tb1r0ecpfxg2udhtc556gqrpwwhk4sw3f0kc", "53107e7014990ae36ebc529a4006173af6ac")]
    [InlineData("tb1q6mwf89hnqhlu8txjgjfs4s7p93ugffn3k062ll", "0014d6dc9396f305ffc3acd244930ac3c12c7884a671")]
    [InlineData("tb1qafrjalu4d73dql0czau9j6z422434kef235mzljf48ckd5xz3sys09jm97", "0020ea472eff956fa2d07df8177859685552ab1adb295469b17e49a9f166d0c28c09")]
    [InlineData("tb1pwst9qszjrhuv2e7as0flcq9gm698v6gdxzz9e87p07s8rssdx3zqklm3vf", "512074165040521df8c567dd83d3fc00a8de8a76690d30845c9fc17fa071c20d3444")]
    [InlineData("tb1r3ss76jtsuxe8c8c8lxsehnpak55ylrgr345pww076l536ahjr6jsydamx3", "53208c21ed4970e1b27c1f07f9a19bcc3db5284f8d038d681739fed7e91d76f21ea5")]
    [InlineData("bcrt1q65nhlm4hf2ptg3t264al57p7wjxj2c3s6kyt83", "0014d5277feeb74a82b4456ad57bfa783e748d256230")]
    [InlineData("bcrt1qawvc90lpytw3z3k9etdx54l0exq5f5sqfzu5e45kjnl6slwayeeqx2dyac", "0020eb9982bfe122dd1146c5cada6a57efc98144d20048b94cd69694ffa87ddd2672")]
    [InlineData("bcrt1p39a4s4vdcw9kqa8w2t0rp7aj8kfxyw7mce5sk5d70x6wnnmpvt7skf2kxy", "5120897b58558dc38b6074ee52de30fbb23d92623bdbc6690b51be79b4e9cf6162fd")]
    [InlineData("bcrt1s489d9fhmyel0vzfqsrmew4x7r80asuqesm5hgqacy35daflcyufh3j8cgdtflvt99ph05m", "6028a9cad2a6fb267ef6092080f79754de19dfd8701986e97403b82468dea7f8271378c8f843569fb165")]
    public void Accepts_bitcoin_core_key_io_segwit_addresses_in_either_case(string address, string scriptPubKey)
    {
        Assert.True(Bech32.IsSegwitAddress(address));
        Assert.True(Bech32.IsSegwitAddress(address.ToUpperInvariant()));
        Assert.Equal(Convert.FromHexString(scriptPubKey), KeyIoVectors.SegwitScriptPubKey(address));
    }

    // BIP-84 test vectors: P2WPKH receive and change addresses.
    [Theory]
    [InlineData("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu")]
    [InlineData("bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g")]
    [InlineData("bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el")]
    public void Accepts_bip84_receive_and_change_addresses(string address)
    {
        Assert.True(Bech32.IsSegwitAddress(address));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bc1")]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 ")]
    [InlineData(" bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    [InlineData("Bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    [InlineData("ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t")]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    public void Rejects_text_that_is_not_a_segwit_address(string text)
    {
        Assert.False(Bech32.IsSegwitAddress(text));
    }

    [Fact]
    public void Rejects_strings_longer_than_ninety_characters()
    {
        var text = "bc1" + new string('q', 88);

        Assert.Equal(Bech32Encoding.None, Bech32.Decode(text, new byte[200], out _, out _));
        Assert.False(Bech32.IsSegwitAddress(text));
    }
}
