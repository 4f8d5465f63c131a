using System.Text.Json;
using Intake.Triage;
using Intake.Triage.Text;

namespace Intake.Tests.Triage;

/// <summary>
/// The concept layer (Rules/concepts.json and Rules/Lexicon): every concept in every language, combinations read
/// within a sentence and the next, "unless" concepts, and the explanation an operator reads.
/// </summary>
public class TriageConceptTests
{
    // BIP-39 test vector (trezor/python-mnemonic vectors.json): a real checksum, so the engine must redact it.
    private const string Mnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow";

    private static readonly TriageEngine Engine = TriageEngine.Default;

    [Fact]
    public void Every_concept_has_words_in_every_triage_language()
    {
        var rules = TriageRules.LoadEmbedded();
        var concepts = rules.Concepts.Concepts.Select(c => c.Id).ToHashSet();

        // zh covers zh-Hans and zh-Hant: traditional characters are read as simplified.
        Assert.Equal(["en", "es", "ja", "ko", "pt", "ru", "tr", "vi", "zh"], rules.Lexicons.Select(l => l.Language).Order());
        foreach (var lexicon in rules.Lexicons)
        {
            foreach (var concept in concepts)
            {
                Assert.True(
                    lexicon.Concepts.TryGetValue(concept, out var phrases) && phrases.Count >= 5,
                    $"Lexicon/{lexicon.Language}.json has fewer than five phrases for '{concept}'");
            }

            Assert.Empty(lexicon.Concepts.Keys.Except(concepts));
        }

        foreach (var combination in rules.Concepts.Combinations)
        {
            Assert.Empty(combination.All.Concat(combination.Any).Concat(combination.Unless).Except(concepts));
        }
    }

    [Theory]
    [InlineData("Where did my money go?! Balance 0.00 this morning.", 2)]
    [InlineData("0.8 BTC was there yesterday. site.com says v2.1 is out... ok", 3)]
    [InlineData("帮帮我！！！余额怎么没了？我没有操作。", 3)]
    [InlineData("line one\nline two\r\n\r\nline three", 3)]
    [InlineData("wait!!! what?! really", 3)]
    public void Sentences_end_at_marks_before_a_space_and_at_line_breaks(string text, int sentences)
    {
        var starts = new List<int>();
        Sentences.Split(text, starts);

        Assert.Equal(sentences, starts.Count + 1);
        Assert.Equal(0, Sentences.IndexOf(starts, 0));
        Assert.Equal(starts.Count, Sentences.IndexOf(starts, text.Length - 1));
    }

    [Fact]
    public void A_long_clause_between_the_parts_of_a_phrase_rule_is_read_within_its_sentence()
    {
        var result = Engine.Triage(
            "I submitted a withdrawal of 2,000 XRP this morning, entered my code from the authenticator app to confirm it, and it has been stuck on processing for five hours.");

        Assert.Equal(TicketCategory.Withdrawal, result.Category);
        Assert.Contains("withdrawal.problem", result.Rules);
    }

    [Fact]
    public void A_full_stop_ends_a_phrase_rule()
    {
        var result = Engine.Triage("My last withdrawal went through fine, thanks. The chart on the futures page is stuck though.");

        Assert.DoesNotContain("withdrawal.problem", result.Rules);
    }

    [Fact]
    public void Concepts_combine_in_a_sentence_and_the_next_but_not_across_a_long_letter()
    {
        const string Filler = "I have used the app for three years and I usually buy a little every month when I get paid. ";
        var adjacent = Engine.Triage(Filler + "Yesterday there was 0.8 BTC in my spot wallet. This morning the spot wallet shows 0. " + Filler);
        var apart = Engine.Triage(
            "Yesterday I looked at my coins and thought about my plans. " + Filler + Filler
            + "My daughter says the new design shows 0 interest in older users. " + Filler);

        Assert.Contains("security.funds_vanished", adjacent.Rules);
        Assert.Equal(Urgency.Urgent, adjacent.Urgency);
        Assert.DoesNotContain("security.funds_vanished", apart.Rules);
    }

    [Fact]
    public void A_balance_that_shows_zero_is_a_loss_and_an_estimate_of_zero_point_something_is_not()
    {
        var zero = Engine.Triage("Yesterday there was 0.8 BTC in my wallet. Today the wallet says 0.");
        var fee = Engine.Triage("How do I bridge USDC to Base with the web3 wallet? The gas estimate says 0.004 ETH, which seems a lot.");
        var comma = Engine.Triage("Mi billetera muestra 0,75 ETH después del puente, ¿es normal la comisión?");

        Assert.Contains("security.funds_vanished", zero.Rules);
        Assert.DoesNotContain("security.funds_vanished", fee.Rules);
        Assert.DoesNotContain("security.funds_vanished", comma.Rules);
        Assert.Equal(TicketCategory.WalletWeb3, fee.Category);
    }

    /// <summary>Korean typed in a hurry drops its spaces; the lexicon's spaced phrases are found either way.</summary>
    [Theory]
    [InlineData("폰이 갑자기 안 터져서 통신사에 가보니 누가 유심 재발급 했대요. 거래소 비번 변경 메일도 왔어요. 제가 한 거 아님")]
    [InlineData("폰이갑자기안터져서통신사에가보니누가유심재발급했대요 거래소비번변경메일도왔어요 제가한거아님")]
    public void Korean_is_read_with_its_spaces_or_without(string text)
    {
        var explanation = Engine.Explain(text);

        Assert.Contains(explanation.Concepts, hit => hit.Concept == "sim_hijack");
        Assert.Equal((TicketCategory.Security, Urgency.Urgent), (explanation.Result.Category, explanation.Result.Urgency));
        Assert.DoesNotContain(TriageEngine.SecondOpinionRule, explanation.Result.Rules);
    }

    /// <summary>A wave of news about another exchange's hack brings worried questions, not incidents.</summary>
    [Theory]
    [InlineData("Saw in the news that another exchange got hacked. Are my funds safe with you?")]
    [InlineData("看到新闻说别的交易所被盗了，你们这边没事吧？钱放这里安全吗")]
    [InlineData("DİĞER BORSA HACKLENDİ DİYE HABERLERDE GÖRDÜM. SİZDE PARAM GÜVENDE Mİ???")]
    [InlineData("요즘 거래소 해킹 뉴스 때문에 불안해서요. 제 자산은 안전한가요?")]
    public void A_worried_question_about_the_news_is_a_general_question(string text)
    {
        var result = Engine.Triage(text);

        Assert.Contains("policy.news_worry_is_general", result.Rules);
        Assert.Equal((TicketCategory.General, Urgency.Normal), (result.Category, result.Urgency));
    }

    [Fact]
    public void A_worried_question_beside_a_loss_of_ones_own_stays_an_incident()
    {
        var result = Engine.Triage("Saw in the news that another exchange got hacked, and this morning my balance shows 0 and there are withdrawals I never made. Are my funds safe?");

        Assert.DoesNotContain("policy.news_worry_is_general", result.Rules);
        Assert.Equal((TicketCategory.Security, Urgency.Urgent), (result.Category, result.Urgency));
    }

    [Fact]
    public void Thanks_for_a_solved_problem_is_feedback_and_thanks_beside_a_new_loss_is_not()
    {
        var thanks = Engine.Triage("My withdrawal got stuck last night, your live support agent solved it in ten minutes. Thank you so much, great support!");
        var again = Engine.Triage("Thank you so much, great support last month. But today my balance shows 0 and I never made these withdrawals.");

        Assert.Contains("policy.thanks_for_a_solved_problem", thanks.Rules);
        Assert.Equal((TicketCategory.Feedback, Urgency.Low), (thanks.Category, thanks.Urgency));
        Assert.DoesNotContain("policy.thanks_for_a_solved_problem", again.Rules);
        Assert.Equal((TicketCategory.Security, Urgency.Urgent), (again.Category, again.Urgency));
    }

    /// <summary>"Changed" is never the customer's own change: an account locked after they changed their number is an access problem.</summary>
    [Theory]
    [InlineData("Tài khoản bị vô hiệu hóa sau khi em đổi số điện thoại. Làm sao để mở lại ạ?")]
    [InlineData("My account was disabled after I changed my phone number. How do I get it back?")]
    [InlineData("Аккаунт заблокирован после того как я сменил номер телефона, что делать?")]
    public void A_change_the_customer_made_is_not_a_takeover(string text)
    {
        var explained = Engine.Explain(text);

        Assert.Contains("signal.was_me", explained.Result.Rules);
        Assert.DoesNotContain("security.identity_changed", explained.Result.Rules);
        Assert.Equal("account_access", explained.Scores.MaxBy(s => s.Value).Key);
    }

    [Fact]
    public void A_change_the_customer_did_not_make_is_still_a_takeover()
    {
        var result = Engine.Triage("My phone number on the account was changed and it wasn't me, now I can't log in.");

        Assert.Equal((TicketCategory.Security, Urgency.Urgent), (result.Category, result.Urgency));
    }

    /// <summary>"Would my coins vanish if…? Nothing has happened yet": funds that might vanish are a question, not an incident.</summary>
    [Theory]
    [InlineData("請教一個問題，萬一我走了，帳戶裡的比特幣會怎麼樣？會不會就這樣消失？現在帳戶沒什麼問題，只是想先問清楚。")]
    [InlineData("泥棒に入られたらビットコインを全部取られてしまうのでしょうか。今のところ何も起きていません。安全な保管方法を教えてください。")]
    [InlineData("Can someone take my coins if they know my address? Nothing has gone missing, I have checked twice this morning.")]
    public void Funds_that_might_vanish_when_nothing_has_happened_are_not_an_incident(string text)
    {
        var explained = Engine.Explain(text);

        Assert.Equal("nothing_wrong", Assert.Single(explained.Rules, r => r.Rule == "security.funds_vanished").WithheldBy);
        Assert.DoesNotContain("security.funds_vanished", explained.Result.Rules);
    }

    /// <summary>"Nothing is missing yet" beside an account change, a login denied or access given is a takeover in progress.</summary>
    [Theory]
    [InlineData("Someone changed the email on my account last night. Nothing is missing yet, please freeze it.")]
    [InlineData("There is a login from Lagos that was not me. Nothing has gone missing so far.")]
    [InlineData("偽サイトにログインしてしまった…メールアドレスとパスワード入れた。いまのところ被害はないけど、どうしたらいい？")]
    public void Nothing_missing_yet_beside_an_incident_is_still_urgent(string text)
    {
        var result = Engine.Triage(text);

        Assert.Equal((TicketCategory.Security, Urgency.Urgent), (result.Category, result.Urgency));
    }

    [Theory]
    [InlineData("privet, ne mogu zaiti v akkaunt, pishet 'uchetnaya zapis vremenno zablokirovana'. chto delat??", "account_access")]
    [InlineData("POMOGITE srochno!!! akkaunt vzlomali, vyveli vse usdt, ya nichego ne delal", "security")]
    public void Russian_typed_in_latin_letters_is_russian(string text, string category)
    {
        var result = Engine.Triage(text);

        Assert.Equal(("ru", category), (result.Language, result.Category.ToName()));
    }

    [Theory]
    [InlineData("@suporte a API de vocês tá fora? todas as chamadas dando 503 desde as 10h, meu bot parou.")]
    [InlineData("API一直503，交易机器人全停了")]
    [InlineData("REST API 503만 떠요, 봇이 멈췄습니다")]
    public void An_api_outage_told_by_its_status_code_is_high(string text)
    {
        var result = Engine.Triage(text);

        Assert.Equal((TicketCategory.Api, Urgency.High), (result.Category, result.Urgency));
    }

    [Fact]
    public void A_short_message_is_one_scope()
    {
        var result = Engine.Triage("My coins. All gone. Help!");

        Assert.Equal(TicketCategory.Security, result.Category);
        Assert.Equal(Urgency.Urgent, result.Urgency);
    }

    [Fact]
    public void The_customers_own_transfer_withholds_vanished_funds()
    {
        var explained = Engine.Explain(
            "I withdrew 0.5 BTC to my Ledger two hours ago, the exchange balance shows 0 as expected but the Ledger does not show it yet and the withdrawal is still pending.");

        Assert.Equal(TicketCategory.Withdrawal, explained.Result.Category);
        var withheld = Assert.Single(explained.Rules, r => r.Rule == "security.funds_vanished");
        Assert.Equal("own_cause", withheld.WithheldBy);
        Assert.DoesNotContain("security.funds_vanished", explained.Result.Rules);
    }

    [Theory]
    [InlineData("My brother-in-law lost everything after a SIM swap on another exchange. What should I turn on to stay safe?", "general", "normal")]
    [InlineData("Got a new device login alert from Denver. That was me, I bought a new laptop. Do I need to do anything?", "general", "normal")]
    [InlineData("New device login alert from Lagos. That was not me, I have never been to Nigeria!", "security", "urgent")]
    [InlineData("Thanks to your agent Amy: my deposit was stuck but she sorted it in half an hour, it is solved now. Great service!", "feedback", "low")]
    [InlineData("My balance dropped to zero overnight and there are withdrawals I never made.", "security", "urgent")]
    [InlineData("Got an SMS that my account will be suspended with a link to a fake site. I did not click it, just want to warn you.", "phishing_report", "high")]
    [InlineData("Got an SMS that my account will be suspended with a link. I clicked it and entered my password and the code.", "security", "urgent")]
    [InlineData("A support agent contacted me on Telegram and asked me to scan a QR code to verify my account, so I did.", "security", "urgent")]
    [InlineData("The app is great, the new design is really fast. Please add a dark mode!", "feedback", "low")]
    [InlineData("Great app, but my withdrawal has been stuck for two days and nobody answers.", "withdrawal", "high")]
    [InlineData("Coloquei uma ordem a mercado e executou 4% acima do gráfico. Slippage absurdo, tive prejuízo de quase 600 reais.", "trading", "high")]
    [InlineData("Vadeli işlemlerde pozisyonum likide edildi, saçma bir fark vardı. 1.200 USDT zarar ettim, inceleyin lütfen", "trading", "high")]
    [InlineData("新版App的K线页面太难用了，横屏也没了，画的线全没了。之前的版本好好的，为什么要改？", "feedback", "low")]
    [InlineData("Öneri: kâr/zarar raporunu Excel olarak indirebilsek çok işimize yarar. Teşekkürler", "feedback", "low")]
    [InlineData("Yesterday there is a withdrawal of 0.42 ETH in my history. I don't remember doing it, maybe some automatic thing?", "security", "urgent")]
    [InlineData("Parabéns pelo app novo, muito mais rápido. Só falta colocar o par SOL/BRL", "feedback", "low")]
    [InlineData("arkadaşımın hesabı hacklendi, tüm parası gitti. ben de aynı borsadayım, bana da olur mu? ne yapmam lazım", "general", "normal")]
    public void Concepts_decide_reports_incidents_and_feedback(string text, string category, string urgency)
    {
        var result = Engine.Triage(text);

        Assert.Equal((category, urgency), (result.Category.ToName(), result.Urgency.ToName()));
    }

    [Fact]
    public void Explain_names_each_rule_its_weight_and_the_words_it_matched_but_never_a_secret()
    {
        var explained = Engine.Explain($"All my coins are gone from my account, I never made these withdrawals. My phrase: {Mnemonic}");

        Assert.Equal(TicketCategory.Security, explained.Result.Category);
        var vanished = Assert.Single(explained.Rules, r => r.Rule == "security.funds_vanished");
        Assert.Equal(("security", 7, "incident"), (vanished.Category, vanished.Weight, vanished.Signal));
        Assert.Contains("coins", vanished.Matched);
        Assert.Contains(explained.Rules, r => r.Rule.StartsWith("secret.mnemonic", StringComparison.Ordinal) && r.Matched.SequenceEqual(["[redacted]"]));
        Assert.Contains(explained.Concepts, c => c.Concept == "not_me" && c.Matched == "I never made");
        Assert.True(explained.Scores["security"] >= 7);

        var serialized = JsonSerializer.Serialize(explained);
        foreach (var word in Mnemonic.Split(' ').Distinct().Where(w => w.Length > 4))
        {
            Assert.DoesNotContain(word, serialized, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void A_phrase_of_many_alternatives_is_cut_into_adjacent_pieces_that_stay_small()
    {
        var folder = new TextFolder([]);
        var words = string.Join('|', Enumerable.Range(0, 9).Select(i => "w" + (char)('a' + i)));
        var hanzi = "甲乙丙丁戊己庚辛壬";
        var han = string.Join('|', hanzi.Select(c => c.ToString()));

        var latin = PhraseSyntax.ParseParts($"{{{words}}} {{{words}}} {{x|}} {{{words}}}", folder);
        var cjk = PhraseSyntax.ParseParts($"{{{han}}}{{{han}}}{{{han}}}", folder);
        var small = PhraseSyntax.ParseParts("{a|b} {c|d} after .. {e|f}", folder);

        Assert.True(latin.Count > 1);
        Assert.All(latin, part => Assert.InRange(part.Variants.Count, 1, PhraseSyntax.MaxVariants));
        Assert.All(latin.Skip(1), part => Assert.Equal(1, part.MaxGap));
        Assert.Equal(9 * 9 * 2 * 9, latin.Aggregate(1, (n, part) => n * part.Variants.Count));
        Assert.All(cjk.Skip(1), part => Assert.Equal(0, part.MaxGap));
        Assert.Equal([4, 2], small.Select(p => p.Variants.Count));
        Assert.Equal(PhraseSyntax.WindowGap, small[1].MaxGap);
    }

    [Theory]
    [InlineData("A man pretending to be your support agent called me yesterday.", true)]
    [InlineData("A man claimed he was from the exchange support team.", true)]
    [InlineData("A man was pretending. To be honest your support agent was great.", false)]
    [InlineData("Pretending that everything is fine will not make your support any better.", false)]
    public void The_pieces_of_a_cut_phrase_match_only_next_to_each_other(string text, bool impersonator)
    {
        var concepts = Engine.Explain(text).Concepts.Select(c => c.Concept);

        Assert.Equal(impersonator, concepts.Contains("impersonator"));
    }

    [Fact]
    public void Explain_decides_exactly_as_triage_does()
    {
        foreach (var file in new[] { "triage-dev.jsonl", "triage-holdout.jsonl", "triage-blind3.jsonl" })
        {
            foreach (var message in CorpusScore.Load(file))
            {
                var plain = Engine.Triage(message.Text);
                var explained = Engine.Explain(message.Text).Result;

                Assert.Equal((plain.Language, plain.Category, plain.Urgency, plain.RedactedText), (explained.Language, explained.Category, explained.Urgency, explained.RedactedText));
                Assert.Equal(plain.Rules, explained.Rules);
            }
        }
    }
}
