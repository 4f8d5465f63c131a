using System.Buffers.Binary;
using Intake.Triage.Validation;

namespace Intake.Tests.Triage.Validation;

public class CryptoKeysTests
{
    private const string GenesisAddress = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
    private const string UsdtTronContract = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";

    // Bitcoin wiki, "Wallet import format": private key 0C28FCA3...D72AA1D, uncompressed and compressed.
    private const string WikiWif = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
    private const string WikiWifCompressed = "KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98617";
    private const string WikiPrivateKey = "0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d";

    // BIP-32 test vector 1, chain m.
    private const string Bip32Vector1MasterXprv = "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi";
    private const string Bip32Vector1MasterXpub = "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8";

    // BIP-32 test vectors 1, 2 and 3: every ext prv.
    public static TheoryData<string> Bip32ExtendedPrivateKeys =>
    [
        "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi",
        "xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7",
        "xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs",
        "xprv9z4pot5VBttmtdRTWfWQmoH1taj2axGVzFqSb8C9xaxKymcFzXBDptWmT7FwuEzG3ryjH4ktypQSAewRiNMjANTtpgP4mLTj34bhnZX7UiM",
        "xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334",
        "xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76",
        "xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U",
        "xprv9vHkqa6EV4sPZHYqZznhT2NPtPCjKuDKGY38FBWLvgaDx45zo9WQRUT3dKYnjwih2yJD9mkrocEZXo1ex8G81dwSM1fwqWpWkeS3v86pgKt",
        "xprv9wSp6B7kry3Vj9m1zSnLvN3xH8RdsPP1Mh7fAaR7aRLcQMKTR2vidYEeEg2mUCTAwCd6vnxVrcjfy2kRgVsFawNzmjuHc2YmYRmagcEPdU9",
        "xprv9zFnWC6h2cLgpmSA46vutJzBcfJ8yaJGg8cX1e5StJh45BBciYTRXSd25UEPVuesF9yog62tGAQtHjXajPPdbRCHuWS6T8XA2ECKADdw4Ef",
        "xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc",
        "xprvA2nrNbFZABcdryreWet9Ea4LvTJcGsqrMzxHx98MMrotbir7yrKCEXw7nadnHM8Dq38EGfSh6dqA9QWTyefMLEcBYJUuekgW4BYPJcr9E7j",
        "xprv9s21ZrQH143K25QhxbucbDDuQ4naNntJRi4KUfWT7xo4EKsHt2QJDu7KXp1A3u7Bi1j8ph3EGsZ9Xvz9dGuVrtHHs7pXeTzjuxBrCmmhgC6",
        "xprv9uPDJpEQgRQfDcW7BkF7eTya6RPxXeJCqCJGHuCJ4GiRVLzkTXBAJMu2qaMWPrS7AANYqdq6vcBcBUdJCVVFceUvJFjaPdGZ2y9WACViL4L",
    ];

    // BIP-32 test vectors 1, 2 and 3: every ext pub.
    public static TheoryData<string> Bip32ExtendedPublicKeys =>
    [
        "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8",
        "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw",
        "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ",
        "xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5",
        "xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV",
        "xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy",
        "xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB",
        "xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH",
        "xpub6ASAVgeehLbnwdqV6UKMHVzgqAG8Gr6riv3Fxxpj8ksbH9ebxaEyBLZ85ySDhKiLDBrQSARLq1uNRts8RuJiHjaDMBU4Zn9h8LZNnBC5y4a",
        "xpub6DF8uhdarytz3FWdA8TvFSvvAh8dP3283MY7p2V4SeE2wyWmG5mg5EwVvmdMVCQcoNJxGoWaU9DCWh89LojfZ537wTfunKau47EL2dhHKon",
        "xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL",
        "xpub6FnCn6nSzZAw5Tw7cgR9bi15UV96gLZhjDstkXXxvCLsUXBGXPdSnLFbdpq8p9HmGsApME5hQTZ3emM2rnY5agb9rXpVGyy3bdW6EEgAtqt",
        "xpub661MyMwAqRbcEZVB4dScxMAdx6d4nFc9nvyvH3v4gJL378CSRZiYmhRoP7mBy6gSPSCYk6SzXPTf3ND1cZAceL7SfJ1Z3GC8vBgp2epUt13",
        "xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y",
    ];

    [Fact]
    public void Accepts_the_genesis_address()
    {
        Assert.True(CryptoKeys.IsBitcoinBase58Address(GenesisAddress));
    }

    // bitcoin/bitcoin src/test/data/key_io_valid.json Base58 addresses (P2PKH and P2SH, main and test
    // networks), and the BIP-49 test vector's testnet P2SH address.
    [Theory]
    [InlineData("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo")]
    [InlineData("36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm")]
    [InlineData("mzK2FFDEhxqHcmrJw1ysqFkVyhUULo45hZ")]
    [InlineData("2NC2hEhe28ULKAJkW5MjZ3jtTMJdvXmByvK")]
    [InlineData("mww4LvqtTMKvmeQvizPz2EQv26xTneWrbg")]
    [InlineData("2N1r7aC69VHeE7yQJPDLi9T1PYq4wnwvjuT")]
    [InlineData("n4fajahJrAuKbN7uNsKjLjQkz9Qn5ewJXQ")]
    [InlineData("2MxFajLApXpYk4VodBSZSt7rw8y4ryABkfA")]
    [InlineData("1FjL87pn8ky6Vbavd1ZHeChRXtoxwRGCRd")]
    [InlineData("3BZECeAH8gSKkjrTx8PwMrNQBLG18yHpvf")]
    [InlineData("1G9A9j6W8TLuh6dEeVwWeyibK1Uc5MfVFV")]
    [InlineData("33GA3ZXbw5o5HeUrBEaqkWXFYYZmdxGRRP")]
    [InlineData("2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2")]
    public void Accepts_published_base58_bitcoin_addresses(string address)
    {
        Assert.True(CryptoKeys.IsBitcoinBase58Address(address));
    }

    [Theory]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN")]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa ")]
    [InlineData("1a1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")]
    [InlineData("")]
    [InlineData("1")]
    [InlineData(UsdtTronContract)]
    [InlineData(WikiWif)]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    public void Rejects_text_that_is_not_a_base58_bitcoin_address(string text)
    {
        Assert.False(CryptoKeys.IsBitcoinBase58Address(text));
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x30)]
    [InlineData(0x41)]
    [InlineData(0x80)]
    public void Rejects_a_valid_base58check_address_payload_with_an_unknown_version(byte version)
    {
        var payload = new byte[21];
        Assert.True(Base58.TryDecodeCheck(GenesisAddress, payload, out _));
        payload[0] = version;

        Assert.False(CryptoKeys.IsBitcoinBase58Address(Base58.EncodeCheck(payload)));
    }

    [Fact]
    public void Accepts_the_usdt_tron_contract_address()
    {
        // The contract's hex address is 41a614f803b6fd780986a42c78ec9c7f77e6ded13c.
        var payload = new byte[32];

        Assert.True(CryptoKeys.IsTronAddress(UsdtTronContract));
        Assert.True(Base58.TryDecodeCheck(UsdtTronContract, payload, out var length));
        Assert.Equal(Convert.FromHexString("41a614f803b6fd780986a42c78ec9c7f77e6ded13c"), payload[..length]);
    }

    [Theory]
    [InlineData("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u")]
    [InlineData("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6")]
    [InlineData("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6tt")]
    [InlineData("tR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")]
    [InlineData("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t ")]
    [InlineData(GenesisAddress)]
    [InlineData("")]
    public void Rejects_text_that_is_not_a_tron_address(string text)
    {
        Assert.False(CryptoKeys.IsTronAddress(text));
    }

    [Fact]
    public void Accepts_the_bitcoin_wiki_wif_in_both_forms()
    {
        var payload = new byte[40];

        Assert.True(CryptoKeys.IsWif(WikiWif));
        Assert.True(Base58.TryDecodeCheck(WikiWif, payload, out var length));
        Assert.Equal(Convert.FromHexString("80" + WikiPrivateKey), payload[..length]);

        Assert.True(CryptoKeys.IsWif(WikiWifCompressed));
        Assert.True(Base58.TryDecodeCheck(WikiWifCompressed, payload, out length));
        Assert.Equal(Convert.FromHexString("80" + WikiPrivateKey + "01"), payload[..length]);
    }

    // bitcoin/bitcoin src/test/data/key_io_valid.json private keys (isPrivkey true) with their key and
    // compression flag; BIP-84 and BIP-49 test vector private keys.
    [Theory]
    [InlineData("5JuW2AMDYu4xVwRG9DZW18VbzQrGcd5RCgb99sS6ehJsNQXu5b9", "8f8943bf956de595665c38ffff23827e17c10cdc1c27a028caae6c9810626198", "main", false)]
    [InlineData("L5nJeqKmpHp4P7F8ZYyjwc5a7P4d8EabuGAzfGJk7yC1BJyzNaEd", "ff778740f88ddcf102aeb81daee289c044c4a4571c4b6f287400f4b8e0b843f8", "main", true)]
    [InlineData("92ZdE5HoLafywnTBbzPxbvRmp75pSfzvdU3XaZGh1cToipgdHVh", "80c32d81e91bdea04cd7a3819b32275fc3298af4c7ec87eb0099527d041ced5c", "testnet4", false)]
    [InlineData("cV83kKisF3RQSvXbUCm9ox3kaz5JjEUBWcx8tNydfGJcyeUxuH47", "e0fcd4ce4e3d0e3de091f21415bb7cd011fac288c42020a879f28c2a4387df9b", "testnet4", true)]
    [InlineData("92QuSnywrhsV7WPZChTgSQA23uSmj9MCEEno1eRBDG9sg8M29cX", "6cf636ed8ac1bab033b64f66feaba65f70e684731e3f39105605968d3a963801", "signet", false)]
    [InlineData("cND53Dhp8eCZqG2ghe8YhSCGesXZ8fE5PGD1khrqNvEi4RBoXhEK", "12b5a10f3a11e708dc5412833c47ab7c368a21b9efe19293793ec879ce683018", "signet", true)]
    [InlineData("91mn1wYKEB1zyof1VFm8tMtocZx1oBrKKRCu9GCpgZvPmBLEJjp", "18a86e5a6c6977ddba0daca7fba5190f67ba56ccdc1b3f31308972236c2e4776", "regtest", false)]
    [InlineData("cPisAUdLvqqAr6MYtXnrWvgvyUAwuNyuTvZkDGw6miPhZdaiSDNH", "3fdfec1371cedcdb8c190ca6ff8ad603f817edc0d93c2a687c7b36dd66e70f2a", "regtest", true)]
    [InlineData("5HsL2nZuEebU5nM3RxNVQD9GcAnvNMahqQskf4fkqHe54zwd14e", "06e8649790a90615a46d22dd762e0c42615336745356c2e16147c0f3d46b40d5", "main", false)]
    [InlineData("KwuVvu6hsuEMHrfFWJQV64tRrWX3QzqHH18JuAHYqYV6dqBvNKxd", "147804bf8a0dfff35939a611c7f5a60ac107f33f33d6059f273d2079ab1d90f2", "main", true)]
    [InlineData("921M1RNxghFcsVGqAJksQVbSgx36Yz4u6vebfz1wDujNvgNt93B", "3777b341c45e2a9b9bf6bfb71dc7d129f64f1b9406ed4f93ade8f56065f1b732", "testnet4", false)]
    [InlineData("cNEnbfF2fcxmmCLWqMAaq6fxJvVkwMbyU3kCbpQznz4Z1j6TZDGb", "1397b0d4a03e1ab2c54dd9af99ce1ecbfb90c80a58886da95e1181a55703d96b", "testnet4", true)]
    [InlineData("93BcpCMKPmFCuY8bqS4k3HFrhJ1Afxi4uSsEeJFvX86GYW7PC7W", "d27d1b6ef55ca2e4d475b5276f2dbb85f7a6459dceeb89c67b776fd3bb974452", "signet", false)]
    [InlineData("cUtwbyxoL1owPxUafgH2meEpydeywjhnTYv2mJaFHHchz39AaEgy", "da3ed4ef1647e1733ec076919cab6156077ed9532e7c365acc425747e198b3e1", "signet", true)]
    [InlineData("927zPWny2SiNaUmHF5NnGQXQWDwbByfFzXGgu88j91ZoutSosvE", "468e0284f230153db8687d8ec23db079a5b67d72ca04174b3867b13e4ea9945e", "regtest", false)]
    [InlineData("cRez45VGSp5EXNqm89K3NJJPSKKapJg5Kbw3atxr2337x2gtgYed", "798d87586cffbe8c545ab374454e403b1eb831501ebe89f3c3b02f3137bd7b46", "regtest", true)]
    [InlineData("cULrpoZGXiuC19Uhvykx7NugygA3k86b3hmdCeyvHYQZSxojGyXJ", "c9bdb49cfbaedca21c4b1f3a7803c34636b1d7dc55a717132443fc3f4c5867e8", "testnet", true)]
    public void Accepts_published_wif_private_keys(string wif, string privateKey, string chain, bool compressed)
    {
        var expected = Convert.FromHexString((chain == "main" ? "80" : "ef") + privateKey + (compressed ? "01" : string.Empty));
        var payload = new byte[40];

        Assert.True(CryptoKeys.IsWif(wif));
        Assert.True(Base58.TryDecodeCheck(wif, payload, out var length));
        Assert.Equal(expected, payload[..length]);
    }

    [Theory]
    [InlineData("KyZpNDKnfs94vbrwhJneDi77V6jF64PWPF8x5cdJb8ifgg2DUc9d")]
    [InlineData("Kxpf5b8p3qX56DKEe5NqWbNUP9MnqoRFzZwHRtsFqhzuvUJsYZCy")]
    [InlineData("KxuoxufJL5csa1Wieb2kp29VNdn92Us8CoaUG3aGtPtcF3AzeXvF")]
    public void Accepts_bip84_test_vector_private_keys(string wif)
    {
        Assert.True(CryptoKeys.IsWif(wif));
    }

    [Theory]
    [InlineData("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTj")]
    [InlineData("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyT")]
    [InlineData("KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98618")]
    [InlineData(GenesisAddress)]
    [InlineData(Bip32Vector1MasterXprv)]
    [InlineData("")]
    public void Rejects_text_that_is_not_a_wif_private_key(string text)
    {
        Assert.False(CryptoKeys.IsWif(text));
    }

    [Theory]
    [InlineData("80", "02")] // compressed form with a flag other than 0x01
    [InlineData("80", "00")]
    [InlineData("81", "")] // unknown version
    [InlineData("00", "")]
    [InlineData("80", "0101")] // too long
    public void Rejects_base58check_payloads_with_a_wrong_wif_shape(string version, string suffix)
    {
        var payload = Convert.FromHexString(version + WikiPrivateKey + suffix);

        Assert.False(CryptoKeys.IsWif(Base58.EncodeCheck(payload)));
    }

    [Fact]
    public void Rejects_a_wif_with_a_truncated_key()
    {
        var payload = Convert.FromHexString("80" + WikiPrivateKey[..^2]);

        Assert.False(CryptoKeys.IsWif(Base58.EncodeCheck(payload)));
    }

    [Theory]
    [MemberData(nameof(Bip32ExtendedPrivateKeys))]
    public void Accepts_bip32_test_vector_extended_private_keys(string key)
    {
        Assert.True(CryptoKeys.IsExtendedPrivateKey(key));
        Assert.True(CryptoKeys.LooksLikeExtendedPrivateKey(key));
        Assert.False(CryptoKeys.IsExtendedPublicKey(key));
    }

    [Theory]
    [MemberData(nameof(Bip32ExtendedPublicKeys))]
    public void Accepts_bip32_test_vector_extended_public_keys(string key)
    {
        Assert.True(CryptoKeys.IsExtendedPublicKey(key));
        Assert.False(CryptoKeys.IsExtendedPrivateKey(key));
        Assert.False(CryptoKeys.LooksLikeExtendedPrivateKey(key));
    }

    // BIP-84 zprv root and account keys; BIP-49 testnet uprv master and account keys.
    [Theory]
    [InlineData("zprvAWgYBBk7JR8Gjrh4UJQ2uJdG1r3WNRRfURiABBE3RvMXYSrRJL62XuezvGdPvG6GFBZduosCc1YP5wixPox7zhZLfiUm8aunE96BBa4Kei5")]
    [InlineData("zprvAdG4iTXWBoARxkkzNpNh8r6Qag3irQB8PzEMkAFeTRXxHpbF9z4QgEvBRmfvqWvGp42t42nvgGpNgYSJA9iefm1yYNZKEm7z6qUWCroSQnE")]
    [InlineData("uprv8tXDerPXZ1QsVNjUJWTurs9kA1KGfKUAts74GCkcXtU8GwnH33GDRbNJpEqTvipfCyycARtQJhmdfWf8oKt41X9LL1zeD2pLsWmxEk3VAwd")]
    [InlineData("uprv91G7gZkzehuMVxDJTYE6tLivdF8e4rvzSu1LFfKw3b2Qx1Aj8vpoFnHdfUZ3hmi9jsvPifmZ24RTN2KhwB8BfMLTVqaBReibyaFFcTP1s9n")]
    public void Accepts_bip84_and_bip49_extended_private_keys(string key)
    {
        Assert.True(CryptoKeys.IsExtendedPrivateKey(key));
        Assert.True(CryptoKeys.LooksLikeExtendedPrivateKey(key));
    }

    [Fact]
    public void Does_not_treat_the_bip49_upub_as_a_supported_extended_public_key()
    {
        // upub (0x044a5262) is outside the xpub/ypub/zpub/tpub set this recogniser covers.
        Assert.False(CryptoKeys.IsExtendedPublicKey("upub5EFU65HtV5TeiSHmZZm7FUffBGy8UKeqp7vw43jYbvZPpoVsgU93oac7Wk3u6moKegAEWtGNF8DehrnHtv21XXEMYRUocHqguyjknFHYfgY"));
    }

    [Theory]
    [InlineData(0x0488ADE4u, "xprv")]
    [InlineData(0x04358394u, "tprv")]
    [InlineData(0x049D7878u, "yprv")]
    [InlineData(0x04B2430Cu, "zprv")]
    [InlineData(0x0295B005u, "Yprv")]
    [InlineData(0x02AA7A99u, "Zprv")]
    [InlineData(0x044A4E28u, "uprv")]
    [InlineData(0x045F18BCu, "vprv")]
    public void Accepts_every_private_version_and_its_prefix(uint version, string prefix)
    {
        var key = WithVersion(Bip32Vector1MasterXprv, version);

        Assert.StartsWith(prefix, key, StringComparison.Ordinal);
        Assert.True(CryptoKeys.IsExtendedPrivateKey(key));
        Assert.True(CryptoKeys.LooksLikeExtendedPrivateKey(key));
        Assert.False(CryptoKeys.IsExtendedPublicKey(key));
    }

    [Theory]
    [InlineData(0x0488B21Eu, "xpub")]
    [InlineData(0x049D7CB2u, "ypub")]
    [InlineData(0x04B24746u, "zpub")]
    [InlineData(0x043587CFu, "tpub")]
    public void Accepts_every_public_version_and_its_prefix(uint version, string prefix)
    {
        var key = WithVersion(Bip32Vector1MasterXpub, version);

        Assert.StartsWith(prefix, key, StringComparison.Ordinal);
        Assert.True(CryptoKeys.IsExtendedPublicKey(key));
        Assert.False(CryptoKeys.IsExtendedPrivateKey(key));
    }

    [Fact]
    public void Rejects_extended_keys_whose_version_does_not_match_the_key_data()
    {
        // Private key data under a public version, and public key data under a private version.
        Assert.False(CryptoKeys.IsExtendedPublicKey(WithVersion(Bip32Vector1MasterXprv, 0x0488B21E)));
        Assert.False(CryptoKeys.IsExtendedPrivateKey(WithVersion(Bip32Vector1MasterXpub, 0x0488ADE4)));
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x04)]
    [InlineData(0xFF)]
    public void Rejects_extended_keys_with_an_invalid_key_data_prefix(byte prefix)
    {
        Assert.False(CryptoKeys.IsExtendedPrivateKey(WithKeyPrefix(Bip32Vector1MasterXprv, prefix)));
        Assert.False(CryptoKeys.IsExtendedPublicKey(WithKeyPrefix(Bip32Vector1MasterXpub, prefix)));
    }

    [Fact]
    public void Rejects_an_unknown_extended_key_version()
    {
        Assert.False(CryptoKeys.IsExtendedPrivateKey(WithVersion(Bip32Vector1MasterXprv, 0x04888888)));
        Assert.False(CryptoKeys.IsExtendedPublicKey(WithVersion(Bip32Vector1MasterXpub, 0x04888888)));
    }

    [Fact]
    public void Recognises_the_shape_of_a_mistyped_extended_private_key()
    {
        var mistyped = Bip32Vector1MasterXprv[..^1] + "j";

        Assert.False(CryptoKeys.IsExtendedPrivateKey(mistyped));
        Assert.True(CryptoKeys.LooksLikeExtendedPrivateKey(mistyped));
        Assert.True(CryptoKeys.LooksLikeExtendedPrivateKey(Bip32Vector1MasterXprv.AsSpan(0, Bip32Vector1MasterXprv.Length - 4)));
        Assert.True(CryptoKeys.LooksLikeExtendedPrivateKey(Bip32Vector1MasterXprv + "zz"));
    }

    [Theory]
    [InlineData("xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8")]
    [InlineData("Xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi")]
    [InlineData("xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPH0")]
    [InlineData("xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrM PHi")]
    [InlineData("xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk3")]
    [InlineData("xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHiabc")]
    [InlineData("xprv")]
    [InlineData("")]
    public void Does_not_mistake_other_text_for_an_extended_private_key_shape(string text)
    {
        Assert.False(CryptoKeys.LooksLikeExtendedPrivateKey(text));
    }

    // Changing the 4-byte version keeps the rest of the 78-byte payload and recomputes the checksum.
    private static string WithVersion(string key, uint version)
    {
        var payload = DecodeExtendedKey(key);
        BinaryPrimitives.WriteUInt32BigEndian(payload, version);
        return Base58.EncodeCheck(payload);
    }

    private static string WithKeyPrefix(string key, byte prefix)
    {
        var payload = DecodeExtendedKey(key);
        payload[45] = prefix;
        return Base58.EncodeCheck(payload);
    }

    private static byte[] DecodeExtendedKey(string key)
    {
        var payload = new byte[78];
        Assert.True(Base58.TryDecodeCheck(key, payload, out var length));
        Assert.Equal(78, length);
        return payload;
    }
}
