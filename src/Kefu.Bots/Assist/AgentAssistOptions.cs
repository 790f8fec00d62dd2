using Microsoft.Extensions.Options;

namespace Kefu.Bots;

/// <summary>
/// Options of agent assist (<see cref="IAgentAssist"/>), set with <c>AddBots(b =&gt; b.ConfigureAssist(o =&gt; …))</c>
/// and validated when the host starts.
/// </summary>
/// <remarks>
/// <para>How an answer is ranked. Each candidate starts from a base score <c>s</c> in [0, 1]:</para>
/// <list type="bullet">
/// <item>a knowledge rule: the confidence of its robot's matching pipeline (<c>KnowledgeIndex</c>);</item>
/// <item>a mined answer: the similarity of the question to the answer's nearest question under the history index (the
/// registered <c>IQuestionMatcher</c> built over the mined questions, each labelled with its answer), raised towards the
/// index's confidence when that is higher (their geometric mean), times the support <c>(n + 1) / (n + 2)</c>, where
/// <c>n</c> is how often agents gave the answer: an answer seen once counts two thirds, a common one nearly fully.</item>
/// </list>
/// <para>
/// Feedback, kept per answer key, then moves the score on the log-odds scale:
/// <c>score = σ(logit(clamp(s, 0.01, 0.99)) + g + l)</c>, with
/// </para>
/// <list type="bullet">
/// <item>the answer's global boost <c>g = clamp(½ · ln((1 + P + E/2) / (1 + I)), −ln 2, ln 2)</c> over all its
/// feedback in the tenant (<c>P</c> picks, <c>E</c> edits, <c>I</c> ignores);</item>
/// <item>its local boost <c>l = clamp(2 · ln((1 + p) / (1 + i)), −ln 16, ln 16)</c>, where the answer keeps pick, edit
/// and ignore counts for each of the 32 questions it last got feedback on, <c>p</c> sums each such question's
/// similarity to the current question times its picks plus half its edits, and <c>i</c> its similarity times its
/// ignores, counting only questions at least 0.3 alike (under the history index's weighting; only the same question while
/// nothing is mined yet). The question's cluster is
/// thus every question near it, not a fixed partition: picks for "退款还没到账" count for "退款怎么还没到".</item>
/// </list>
/// <para>
/// The score grows with every pick or edit and falls with every ignore (monotone, for the questions kept), stays in
/// (0, 1), and feedback can multiply an answer's odds by at most 32 or divide them by at most 32 (bounded): a consistent
/// choice of the agents overturns the matcher's order among plausible answers, but a few clicks cannot raise an answer
/// that does not match at all (those are never candidates) or bury an exact rule match for good. Answers below
/// <see cref="MinScore"/> are dropped; answers with the same normalised text are merged, keeping the best.
/// </para>
/// </remarks>
public sealed class AgentAssistOptions
{
    /// <summary>
    /// The mined question–answer pairs a tenant keeps; past it the least used go: the lowest count ÷ (1 + days since
    /// last seen ÷ 30), so old habits give way to new ones. <value>Default 50,000; 100–1,000,000.</value>
    /// </summary>
    public int MaxPairsPerTenant { get; set; } = 50_000;

    /// <summary>The answers whose feedback a tenant keeps; past it the one whose feedback is oldest goes. <value>Default 20,000; 100–1,000,000.</value></summary>
    public int MaxFeedbackAnswersPerTenant { get; set; } = 20_000;

    /// <summary>How many answers a suggestion offers at most (E17 4.3.1: three). <value>Default 3; 1–10.</value></summary>
    public int Suggestions { get; set; } = 3;

    /// <summary>Answers scoring below this (after feedback) are not suggested. <value>Default 0.05; 0–0.99.</value></summary>
    public double MinScore { get; set; } = 0.05;

    internal void Validate()
    {
        Range(MaxPairsPerTenant, 100, 1_000_000, nameof(MaxPairsPerTenant));
        Range(MaxFeedbackAnswersPerTenant, 100, 1_000_000, nameof(MaxFeedbackAnswersPerTenant));
        Range(Suggestions, 1, 10, nameof(Suggestions));
        if (!(MinScore is >= 0 and <= 0.99))
        {
            throw new KefuValidationException(nameof(MinScore), "0–0.99", $"was {MinScore}");
        }

        static void Range(int value, int min, int max, string field)
        {
            if (value < min || value > max)
            {
                throw new KefuValidationException(field, $"{min}–{max}", $"was {value}");
            }
        }
    }
}

/// <summary>Validates <see cref="AgentAssistOptions"/> with the field and its allowed range.</summary>
internal sealed class AgentAssistOptionsValidator : IValidateOptions<AgentAssistOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentAssistOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (KefuValidationException ex)
        {
            return ValidateOptionsResult.Fail($"AgentAssistOptions.{ex.Field}: {ex.Message}");
        }
    }
}
