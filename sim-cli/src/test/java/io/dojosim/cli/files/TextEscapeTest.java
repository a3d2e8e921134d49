package io.dojosim.cli.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextEscapeTest {
    private static final String MIXED = "a<b>&\"c\\\n\r\t\u0001z";

    @Test
    void jsonEscapesQuoteBackslashAndEveryControlCharacter() {
        assertEquals("a<b>&\\\"c\\\\\\n\\r\\t\\u0001z", TextEscape.escape(MIXED, TextEscape.JSON));
    }

    @Test
    void xmlWritesEntitiesANewLineAsACharacterReferenceAndOtherControlsAsSpaces() {
        assertEquals("a&lt;b&gt;&amp;&quot;c\\&#10; \t z", TextEscape.escape(MIXED, TextEscape.XML));
    }

    @Test
    void htmlReplacesOnlyTheFourMarkupCharacters() {
        assertEquals("a&lt;b&gt;&amp;&quot;c\\\n\r\t\u0001z", TextEscape.escape(MIXED, TextEscape.HTML));
    }

    @Test
    void appendKeepsWhatIsAlreadyInTheBuilder() {
        StringBuilder sb = new StringBuilder("x=");
        assertEquals("x=&amp;&amp;", TextEscape.append(sb, "&&", TextEscape.HTML).toString());
        assertEquals("", TextEscape.escape("", TextEscape.JSON));
    }
}
