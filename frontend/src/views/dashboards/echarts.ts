/**
 * The parts of ECharts the dashboards draw with, registered once. Only these chart types
 * and components reach the bundle; a new chart type starts by adding its part here.
 */
import { use } from 'echarts/core'
import { BarChart, FunnelChart, HeatmapChart, LineChart, MapChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, LineChart, PieChart, FunnelChart, HeatmapChart, MapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, CanvasRenderer])
