namespace Personalize.Templates.Tests.Conformance;

/// <summary>A fact that is skipped (not passed) when the corpus folder does not exist.</summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute()
    {
        if (!System.IO.Directory.Exists(ConformanceCorpus.Directory))
        {
            Skip = $"The conformance corpus was not found at {ConformanceCorpus.Directory}; set PERSONALIZE_CONFORMANCE_DIR or put ../shared/conformance/scriban beside the repo.";
        }
    }
}

/// <summary>A theory over the corpus' cases that is skipped (not passed) when the corpus folder does not exist.</summary>
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute()
    {
        if (!System.IO.Directory.Exists(ConformanceCorpus.Directory))
        {
            Skip = $"The conformance corpus was not found at {ConformanceCorpus.Directory}; set PERSONALIZE_CONFORMANCE_DIR or put ../shared/conformance/scriban beside the repo.";
        }
    }
}
