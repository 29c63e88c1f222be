namespace Personalize.Templates;

/// <summary>The template language a source is written in.</summary>
public enum TemplateSyntax
{
    /// <summary>Scriban's language (<c>{{ for p in products }}…{{ end }}</c>).</summary>
    Scriban = 0,

    /// <summary>Liquid (<c>{% for p in products %}…{% endfor %}</c>).</summary>
    Liquid = 1,
}
