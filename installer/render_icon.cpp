// Renders the application's SVG icon to the PNG sizes of the hicolor icon theme, at build
// time, so the .deb carries both without a rasterizer among the build dependencies:
//   gt_render_icon ICON.svg OUTDIR SIZE [SIZE...]  ->  OUTDIR/SIZExSIZE/greentrainer-workbench.png
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: gt_render_icon ICON.svg OUTDIR SIZE [SIZE...]\n");
        return 2;
    }
    qputenv("QT_QPA_PLATFORM", "offscreen"); // a build machine has no display
    QGuiApplication app(argc, argv);
    QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
    if (!svg.isValid()) {
        std::fprintf(stderr, "gt_render_icon: %s: not a readable SVG file\n", argv[1]);
        return 1;
    }
    for (int i = 3; i < argc; ++i) {
        const int size = QByteArray(argv[i]).toInt();
        if (size <= 0 || size > 1024) {
            std::fprintf(stderr, "gt_render_icon: size '%s' is not in 1..1024\n", argv[i]);
            return 2;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter);
        painter.end();
        const QString dir =
            QStringLiteral("%1/%2x%2").arg(QString::fromLocal8Bit(argv[2])).arg(size);
        const QString file = dir + "/greentrainer-workbench.png";
        if (!QDir().mkpath(dir) || !image.save(file, "PNG")) {
            std::fprintf(stderr, "gt_render_icon: cannot write %s\n", qPrintable(file));
            return 1;
        }
    }
    return 0;
}
