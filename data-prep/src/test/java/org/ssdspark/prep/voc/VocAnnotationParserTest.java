package org.ssdspark.prep.voc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocAnnotationParserTest {
    private final VocAnnotationParser parser = new VocAnnotationParser();

    static final String VOC_XML = """
            <annotation>
              <folder>VOC2007</folder><filename>000005.jpg</filename>
              <size><width>500</width><height>375</height><depth>3</depth></size>
              <object><name> Chair </name><pose>Rear</pose><truncated>0</truncated><difficult>0</difficult>
                <bndbox><xmin>263</xmin><ymin>211</ymin><xmax>324</xmax><ymax>339</ymax></bndbox></object>
              <object><name>chair</name><truncated>1</truncated><difficult>1</difficult>
                <bndbox><xmin>5.5</xmin><ymin>244</ymin><xmax>67</xmax><ymax>374</ymax></bndbox></object>
              <object><name>person</name>
                <bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object>
            </annotation>
            """;

    @Test
    void parsesSizeObjectsDifficultAndTruncated() throws Exception {
        VocAnnotation a = parser.parse(VOC_XML.getBytes(StandardCharsets.UTF_8), "000005.xml");
        assertEquals("000005.jpg", a.filename());
        assertEquals(500, a.width());
        assertEquals(375, a.height());
        assertEquals(3, a.objects().size());
        VocObject first = a.objects().get(0);
        assertEquals("Chair", first.name());
        assertEquals(263, first.xmin());
        assertEquals(339, first.ymax());
        assertFalse(first.difficult());
        assertFalse(first.truncated());
        VocObject second = a.objects().get(1);
        assertTrue(second.difficult());
        assertTrue(second.truncated());
        assertEquals(5.5, second.xmin());
        VocObject third = a.objects().get(2);
        assertFalse(third.difficult(), "missing <difficult> means 0, as in VOC");
    }

    @Test
    void malformedAndTruncatedXmlAreRejectedWithTheFileName() {
        byte[] truncated = VOC_XML.substring(0, VOC_XML.length() / 2).getBytes(StandardCharsets.UTF_8);
        AnnotationException e = assertThrows(AnnotationException.class, () -> parser.parse(truncated, "a/b.xml"));
        assertTrue(e.getMessage().startsWith("a/b.xml"), e.getMessage());
        assertThrows(AnnotationException.class, () -> parser.parse("<annotation><object>".getBytes(), "x.xml"));
        assertThrows(AnnotationException.class, () -> parser.parse("not xml".getBytes(), "x.xml"));
        AnnotationException noBox = assertThrows(AnnotationException.class, () -> parser.parse(
                "<annotation><object><name>cat</name></object></annotation>".getBytes(), "x.xml"));
        assertTrue(noBox.getMessage().contains("bndbox"), noBox.getMessage());
        AnnotationException badNumber = assertThrows(AnnotationException.class, () -> parser.parse(
                ("<annotation><object><name>cat</name><bndbox><xmin>a</xmin><ymin>1</ymin><xmax>2</xmax>"
                        + "<ymax>3</ymax></bndbox></object></annotation>").getBytes(), "x.xml"));
        assertTrue(badNumber.getMessage().contains("xmin"), badNumber.getMessage());
    }

    @Test
    void externalEntityNamingALocalFileIsRefusedAndNeverRead(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String hostile = "<?xml version=\"1.0\"?>\n<!DOCTYPE annotation [<!ENTITY xxe SYSTEM \"" + secret.toUri()
                + "\">]>\n<annotation><filename>&xxe;</filename><object><name>&xxe;</name><bndbox><xmin>1</xmin>"
                + "<ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>";
        AnnotationException e = assertThrows(AnnotationException.class,
                () -> parser.parse(hostile.getBytes(StandardCharsets.UTF_8), "hostile.xml"));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        assertFalse(e.getMessage().contains("TOP-SECRET"), e.getMessage());
    }

    @Test
    void entityExpansionBombIsRefused() {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
                + "<annotation><filename>&lol2;</filename></annotation>";
        assertThrows(AnnotationException.class, () -> parser.parse(bomb.getBytes(StandardCharsets.UTF_8), "bomb.xml"));
    }
}
