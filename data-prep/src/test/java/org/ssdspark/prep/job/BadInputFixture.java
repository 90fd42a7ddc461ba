package org.ssdspark.prep.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/** Adds every kind of bad input to a generated VOC folder, each listed in trainval. */
final class BadInputFixture {
    static final String SECRET = "SECRET-0xC0FFEE-MUST-NOT-LEAK";

    /** Ids whose whole image must be rejected. */
    static final List<String> REJECTED_IMAGES = List.of("bad_xml", "trunc_xml", "no_jpeg", "no_files",
            "corrupt_jpeg", "garbage_jpeg", "size_mismatch", "hostile", "../../etc/passwd");

    static void addTo(Path voc, Path secretDir) throws IOException {
        Path ann = voc.resolve("Annotations");
        Path jpg = voc.resolve("JPEGImages");
        byte[] goodJpeg = Files.readAllBytes(jpg.resolve("000001.jpg"));
        String goodXml = Files.readString(ann.resolve("000001.xml"));
        Path secret = secretDir.resolve("secret.txt");
        Files.writeString(secret, SECRET);

        write(ann, "bad_xml.xml", "<annotation><size><width>96</width></size><object><name>circle</nam></object>");
        Files.write(jpg.resolve("bad_xml.jpg"), goodJpeg);
        write(ann, "trunc_xml.xml", goodXml.substring(0, goodXml.length() / 2));
        Files.write(jpg.resolve("trunc_xml.jpg"), goodJpeg);
        write(ann, "no_jpeg.xml", goodXml);
        Files.write(jpg.resolve("corrupt_jpeg.jpg"), Arrays.copyOf(goodJpeg, goodJpeg.length / 2));
        write(ann, "corrupt_jpeg.xml", goodXml);
        byte[] garbage = new byte[2000];
        new java.util.Random(1).nextBytes(garbage);
        garbage[0] = (byte) 0xFF;
        garbage[1] = (byte) 0xD8;
        Files.write(jpg.resolve("garbage_jpeg.jpg"), garbage);
        write(ann, "garbage_jpeg.xml", goodXml);
        write(ann, "size_mismatch.xml", goodXml.replace("<width>96</width>", "<width>100</width>"));
        Files.write(jpg.resolve("size_mismatch.jpg"), goodJpeg);
        write(ann, "hostile.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE annotation [<!ENTITY xxe SYSTEM \""
                + secret.toUri() + "\">]>\n<annotation><filename>&xxe;</filename><object><name>&xxe;</name>"
                + "<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>");
        Files.write(jpg.resolve("hostile.jpg"), goodJpeg);

        // One image kept, with one object of each object-level problem and one good object.
        write(ann, "objects.xml", "<annotation><filename>objects.jpg</filename>"
                + "<size><width>96</width><height>80</height><depth>3</depth></size>"
                + object("circle", 10, 10, 200, 50, 0) // reaches outside: clipped to x 96
                + object("square", 300, 10, 320, 20, 0) // entirely outside: rejected
                + object("square", 20, 20, 20, 40, 0) // zero area: rejected
                + object("dragon", 5, 5, 30, 30, 0) // unknown class: rejected
                + object(" Triangle ", 30, 30, 60, 70, 1) // kept, difficult, name normalised
                + "</annotation>");
        Files.write(jpg.resolve("objects.jpg"), goodJpeg);

        Files.writeString(voc.resolve("ImageSets/Main/trainval.txt"),
                String.join("\n", REJECTED_IMAGES) + "\nobjects\n", StandardOpenOption.APPEND);
    }

    private static String object(String name, int x0, int y0, int x1, int y1, int difficult) {
        return "<object><name>" + name + "</name><difficult>" + difficult + "</difficult><bndbox><xmin>" + x0
                + "</xmin><ymin>" + y0 + "</ymin><xmax>" + x1 + "</xmax><ymax>" + y1 + "</ymax></bndbox></object>";
    }

    private static void write(Path dir, String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private BadInputFixture() {
    }
}
