package org.ssdspark.evaljob;

import org.ssdspark.testing.ReferenceFiles;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A VOC-format folder holding the four reference images, all listed in ImageSets/Main/test.txt, with annotations of
 * the right size: one object on two images (one of them difficult), two on one, none on the last.
 */
final class ReferenceVocFolder {
    static final List<String> STEMS = List.of("000401", "000402", "gun", "readme_ssd_example");

    private ReferenceVocFolder() {
    }

    static Path create(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("Annotations"));
        Files.createDirectories(dir.resolve("JPEGImages"));
        Files.createDirectories(dir.resolve("ImageSets/Main"));
        for (String stem : STEMS) {
            Path jpg = ReferenceFiles.resolve("images/" + stem + ".jpg");
            Files.copy(jpg, dir.resolve("JPEGImages/" + stem + ".jpg"));
            BufferedImage image = ImageIO.read(jpg.toFile());
            String objects = switch (stem) {
                case "000401" -> object("person", 20, 180, 190, 240, false);
                case "000402" -> object("dog", 30, 40, 200, 300, true);
                case "gun" -> object("car", 10, 10, 300, 400, false) + object("person", 50, 60, 250, 500, false);
                default -> "";
            };
            Files.writeString(dir.resolve("Annotations/" + stem + ".xml"), "<annotation><filename>" + stem
                    + ".jpg</filename><size><width>" + image.getWidth() + "</width><height>" + image.getHeight()
                    + "</height><depth>3</depth></size>" + objects + "</annotation>\n");
        }
        Files.write(dir.resolve("ImageSets/Main/test.txt"), STEMS);
        return dir;
    }

    private static String object(String name, int xmin, int ymin, int xmax, int ymax, boolean difficult) {
        return "<object><name>" + name + "</name><difficult>" + (difficult ? 1 : 0) + "</difficult><bndbox><xmin>"
                + xmin + "</xmin><ymin>" + ymin + "</ymin><xmax>" + xmax + "</xmax><ymax>" + ymax
                + "</ymax></bndbox></object>";
    }
}
